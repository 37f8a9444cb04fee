package dev.sentinel.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.Child;
import dev.sentinel.platform.OutputSink;
import dev.sentinel.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Programs' lines on Sentinel's stdout and stderr, with real programs writing through real pipes. */
class PrefixedConsoleTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** A shell loop printing {@code count} numbered lines {@code NAME-N-xxx...} of about 100 characters. */
    private static String numberedLines(String name, int count) {
        return "pad=" + "x".repeat(90) + "; i=0; while [ $i -lt " + count + " ]; do echo \"" + name
                + "-$i-$pad\"; i=$((i+1)); done";
    }

    @Test
    void twoProgramsWritingAtOnceArePrefixedPaddedAndNeverCutMidLine() throws Exception {
        CapturedStream out = CapturedStream.flowing();
        CapturedStream err = CapturedStream.flowing();
        int count = 3000;
        // Queues big enough that nothing is dropped: this test is about layout, not pressure.
        PrefixedConsole console = PrefixedConsole.start(out.print, err.print, List.of("a", "bbbbbb"), 64 << 20, 128 << 20);
        try (Programs programs = new Programs()) {
            Child a = programs.start(numberedLines("a", count), console.forProgram("a"));
            Child b = programs.start(numberedLines("bbbbbb", count), console.forProgram("bbbbbb"));
            Await.until(WAIT, () -> "both programs' lines, saw " + out.lines().size(),
                    () -> out.lines().size() == 2 * count);
            Await.until(WAIT, "both programs exit", () -> a.exitStatus().isPresent() && b.exitStatus().isPresent());
        } finally {
            console.close();
        }
        Pattern line = Pattern.compile("(a     |bbbbbb) \\| (a|bbbbbb)-(\\d+)-x{90}");
        Map<String, Integer> next = new HashMap<>(Map.of("a", 0, "bbbbbb", 0));
        for (String l : out.lines()) {
            Matcher m = line.matcher(l);
            assertTrue(m.matches(), "a whole, prefixed line: " + l);
            String name = m.group(2);
            assertEquals(name, m.group(1).trim(), "the line is its own program's");
            assertEquals(next.get(name), Integer.parseInt(m.group(3)), "each program's lines in order");
            next.put(name, next.get(name) + 1);
        }
        assertEquals("", err.text());
    }

    @Test
    void stderrLinesGoToStderr() throws Exception {
        CapturedStream out = CapturedStream.flowing();
        CapturedStream err = CapturedStream.flowing();
        PrefixedConsole console = PrefixedConsole.start(out.print, err.print, List.of("web", "db"));
        try (Programs programs = new Programs()) {
            programs.start("echo to-out; echo to-err >&2", console.forProgram("db"));
            Await.until(WAIT, "both lines", () -> out.lines().size() == 1 && err.lines().size() == 1);
        } finally {
            console.close();
        }
        assertEquals(List.of("db  | to-out"), out.lines());
        assertEquals(List.of("db  | to-err"), err.lines());
    }

    @Test
    void aFloodIntoAStuckStdoutNeitherBlocksAnotherProgramNorLosesCount() throws Exception {
        CapturedStream out = CapturedStream.stuck();
        CapturedStream err = CapturedStream.flowing();
        int count = 10_000;
        PrefixedConsole console = PrefixedConsole.start(out.print, err.print, List.of("flood", "quiet"));
        try (Programs programs = new Programs()) {
            Child flood = programs.start("yes flood-line", console.forProgram("flood"));
            Await.until(WAIT, "the writer is stuck on stdout", out::blocked);
            // About 1 MB: far more than a pipe (64 KiB) and the queue hold. Were its pipe not read
            // while stdout is stuck, it would never exit.
            Child quiet = programs.start(numberedLines("quiet", count), console.forProgram("quiet"));
            Await.until(WAIT, "the quiet program writes everything and exits", () -> quiet.exitStatus().isPresent());
            assertEquals(0, quiet.exitStatus().getAsInt());
            assertFalse(flood.exitStatus().isPresent(), "the flood is still going");
            programs.kill(flood);
            Await.until(WAIT, "the flood is gone", () -> flood.exitStatus().isPresent());
            out.unstick();
            Await.until(WAIT, () -> "every quiet line written or counted, saw " + quietAccount(out.lines()),
                    () -> quietAccount(out.lines()).total == count);
            Await.until(WAIT, "the flood's drops are said too", () -> out.lines().stream()
                    .anyMatch(l -> l.matches("flood \\| \\[sentinel: dropped \\d+ lines: stdout could not keep up]")));
        } finally {
            console.close();
        }
        Account quiet = quietAccount(out.lines());
        assertTrue(quiet.dropped > 0, "lines were dropped while stdout was stuck");
        assertTrue(quiet.written > 0, "what the queue held was written");
        assertEquals("", err.text());
    }

    /** Quiet's lines and drop notices, in order; every gap in the numbers must be one notice of its exact size. */
    private static Account quietAccount(List<String> lines) {
        Pattern line = Pattern.compile("quiet \\| quiet-(\\d+)-x{90}");
        Pattern notice = Pattern.compile("quiet \\| \\[sentinel: dropped (\\d+) lines?: stdout could not keep up]");
        long expected = 0;
        long written = 0;
        long dropped = 0;
        for (String l : lines) {
            Matcher n = notice.matcher(l);
            if (n.matches()) {
                dropped += Long.parseLong(n.group(1));
                expected += Long.parseLong(n.group(1));
                continue;
            }
            Matcher m = line.matcher(l);
            if (m.matches()) {
                assertEquals(expected, Long.parseLong(m.group(1)), "the notice stands exactly where the lines are missing");
                expected++;
                written++;
            } else {
                assertTrue(l.startsWith("flood | "), "only the two programs' lines: " + l);
            }
        }
        return new Account(written, dropped, expected);
    }

    private record Account(long written, long dropped, long total) {
    }

    @Test
    void aLongerNameLaterWidensThePaddingFromThenOn() {
        CapturedStream out = CapturedStream.flowing();
        PrefixedConsole console = PrefixedConsole.start(out.print, CapturedStream.flowing().print, List.of("a", "bb"));
        try {
            OutputSink a = console.forProgram("a");
            a.line(OutputSink.Stream.STDOUT, "first");
            Await.until(WAIT, "the first line", () -> out.lines().size() == 1);
            console.forProgram("cccc").line(OutputSink.Stream.STDOUT, "new");
            // Lines of different programs keep no order against each other: wait.
            Await.until(WAIT, "the new program's line", () -> out.lines().size() == 2);
            a.line(OutputSink.Stream.STDOUT, "second");
            Await.until(WAIT, "three lines", () -> out.lines().size() == 3);
        } finally {
            console.close();
        }
        assertEquals(List.of("a  | first", "cccc | new", "a    | second"), out.lines());
    }

    @Test
    void colourEscapesPassThroughAndCloseWritesWhatIsQueued() {
        CapturedStream out = CapturedStream.flowing();
        PrefixedConsole console = PrefixedConsole.start(out.print, CapturedStream.flowing().print, List.of("web"));
        OutputSink web = console.forProgram("web");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            String l = "\u001b[32mGET /" + i + " 200\u001b[0m";
            sent.add("web | " + l);
            web.line(OutputSink.Stream.STDOUT, l);
        }
        console.close();
        assertEquals(sent, out.lines());
    }
}
