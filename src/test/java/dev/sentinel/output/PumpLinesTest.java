package dev.sentinel.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentinel.platform.Child;
import dev.sentinel.platform.OutputSink;
import dev.sentinel.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the launcher's pump threads cut a real program's output into lines. */
class PumpLinesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CUT = " [sentinel: line cut at 64 KiB]";

    @Test
    void hugeLinesAreCutAtACharacterAndEveryKindOfLineEndCounts() throws Exception {
        List<String> lines = new ArrayList<>();
        OutputSink sink = (stream, text) -> {
            synchronized (lines) {
                lines.add(text);
            }
        };
        String script = String.join("; ",
                "head -c 100000 /dev/zero | tr '\\0' x", "echo", "echo after",
                // 1 byte, then two-byte characters: the cap at 65536 bytes falls inside one.
                "printf x", "yes é | head -n 40000 | tr -d '\\n'", "echo",
                "printf 'crlf\\r\\nlone\\rcr\\n\\n'",
                "printf 'last without newline'");
        try (Programs programs = new Programs()) {
            Child c = programs.start(script, sink);
            Await.until(WAIT, "the program exits", () -> c.exitStatus().isPresent());
            Await.until(WAIT, () -> "the last line, saw " + size(lines), () -> {
                synchronized (lines) {
                    return !lines.isEmpty() && lines.get(lines.size() - 1).equals("last without newline");
                }
            });
        }
        synchronized (lines) {
            assertEquals(List.of("x".repeat(65536) + CUT, "after", "x" + "é".repeat(32767) + CUT, "crlf", "lone",
                    "cr", "", "last without newline"), lines);
        }
    }

    private static int size(List<String> lines) {
        synchronized (lines) {
            return lines.size();
        }
    }
}
