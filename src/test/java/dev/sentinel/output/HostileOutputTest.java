package dev.sentinel.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.HostileOutput;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Sentinel's prefixed output under a program's worst output, through the real pipe: 100 MiB
 * without a newline, one line of 10 MiB, bytes that are not UTF-8 and binary bytes, escape
 * sequences (CSI, OSC, bells) and CRs; then the program leaks past its limit. Sentinel's stdout
 * stays whole lines, each long line cut at the documented 64 KiB with the cut said
 * (docs/config.md, "Long lines"), every other line as written, nothing missing, no drop unsaid;
 * Sentinel's RSS stays bounded while the 100 MiB pass (measured from /proc); and the limit still
 * acts on the program at the end.
 */
@Timeout(180)
class HostileOutputTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    /** docs/config.md: "A line longer than 64 KiB is cut there ... and ends with ` [sentinel: line cut at 64 KiB]`". */
    private static final int MAX_LINE_BYTES = 64 * 1024;
    private static final String CUT = " [sentinel: line cut at 64 KiB]";
    @TempDir
    Path dir;

    @Test
    void hostileOutputStaysWholeAndBoundedAndTheLimitStillActs() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(HostileOutput.PYTHON)), "the hostile program needs " + HostileOutput.PYTHON);
        Path script = dir.resolve("hostile.py");
        Files.writeString(script, HostileOutput.script(true));
        // A config file: without one, the one program's output is Sentinel's own, not read through a pipe.
        Path config = dir.resolve("sentinel.toml");
        Files.writeString(config, "[sentinel]\nsocket = \"" + dir.resolve("s.sock") + "\"\nmetrics = false\n\n"
                + "[programs.hostile]\ncommand = [\"" + HostileOutput.PYTHON + "\", \"" + script + "\"]\nmemory_limit = \"200M\"\n"
                + "grace = \"2s\"\nrestart = \"never\"\noutput = \"prefix\"\n");
        try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel("--no-tui", "--config", config.toString()))) {
            s.awaitStdout(HostileOutput.FIRST, WAIT);
            long baseline = rssKib(s.pid());
            AtomicLong peak = new AtomicLong(baseline);
            AtomicBoolean watching = new AtomicBoolean(true);
            Thread watcher = new Thread(() -> {
                while (watching.get()) {
                    try {
                        peak.accumulateAndGet(rssKib(s.pid()), Math::max);
                        Thread.sleep(20);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }, "rss-watch");
            watcher.start();
            s.awaitStdout(HostileOutput.LAST, WAIT);
            watching.set(false);
            watcher.join();

            s.awaitStderr("sent SIGTERM to the tree \\(memory limit exceeded\\)", WAIT);
            s.awaitStderr("sentinel\\[hostile\\]: exited with status 143 \\(SIGTERM\\) \\(stopped by sentinel: memory limit "
                    + "exceeded\\)", WAIT);
            // Its only program ended for good: Sentinel ends too (1: a program failed), or at the TERM (0), and
            // removes its cgroups either way.
            s.signal("TERM");
            int status = s.awaitExit(WAIT);
            assertTrue(status == 0 || status == 1, "Sentinel's exit status " + status + "\n" + String.join("\n", s.stderr()));

            long peakMib = peak.get() / 1024;
            long baselineMib = baseline / 1024;
            System.out.println("HostileOutputTest: Sentinel's RSS " + baselineMib + " MiB before the flood, at most "
                    + peakMib + " MiB while 100 MiB + 10 MiB passed");
            // -Xmx64m: a Sentinel that held the flood would have died of it; the bound is on the whole process.
            assertTrue(peakMib < 250, "Sentinel's RSS peaked at " + peakMib + " MiB (" + baselineMib + " before)");
            assertTrue(peakMib - baselineMib < 100, "Sentinel's RSS grew by " + (peakMib - baselineMib)
                    + " MiB while 110 MiB passed");

            List<String> lines = programLines(s.stdout());
            String binary = new String(HostileOutput.binaryLine(), StandardCharsets.UTF_8);
            List<String> expected = HostileOutput.lines("a".repeat(MAX_LINE_BYTES) + CUT, "b".repeat(MAX_LINE_BYTES) + CUT);
            assertEquals(expected.size(), lines.size(), "the program's lines: " + shorten(lines));
            for (int i = 0; i < expected.size(); i++) {
                assertEquals(expected.get(i), lines.get(i), "line " + i + " of " + shorten(lines));
            }
            assertTrue(binary.contains("\ufffd"), "bytes that are not UTF-8 are U+FFFD");
            for (String l : s.stdout()) {
                assertTrue(l.getBytes(StandardCharsets.UTF_8).length <= MAX_LINE_BYTES * 2 + 200,
                        "a line of Sentinel's stdout is bounded: " + l.length());
                assertFalse(l.contains("dropped"), "no drop: the reader keeps up here: " + shorten(List.of(l)));
            }
            assertFalse(s.stderr().stream().anyMatch(l -> l.contains("OutOfMemoryError") || l.contains("Exception")),
                    String.join("\n", s.stderr()));
        }
    }

    /** The text of the program's lines on Sentinel's stdout, without the {@code hostile | } prefix. */
    private static List<String> programLines(List<String> stdout) {
        List<String> lines = new ArrayList<>();
        for (String l : stdout) {
            if (l.startsWith("hostile | ")) {
                lines.add(l.substring("hostile | ".length()));
            }
        }
        return lines;
    }

    private static String shorten(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.length() > 100 ? l.substring(0, 100) + "...(" + l.length() + " chars)" : l);
        }
        return out.toString();
    }

    static long rssKib(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.substring(6).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }
}
