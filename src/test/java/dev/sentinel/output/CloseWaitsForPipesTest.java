package dev.sentinel.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.settings.OutputTarget;
import dev.sentinel.platform.Child;
import dev.sentinel.platform.OutputSink;
import dev.sentinel.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing the output waits exactly for the end of every pipe it was given (the sinks' begin and
 * end), not for a quiet moment: a last line that comes late is written, and close returns as soon
 * as the last pipe ends, or at the two-second cap when a daemon keeps one open.
 */
class CloseWaitsForPipesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** How long the old close waited for quiet before it gave up on lines still to come. */
    private static final Duration OLD_QUIET_WINDOW = Duration.ofMillis(50);

    @TempDir
    Path dir;

    private Path fifo() throws Exception {
        Path fifo = dir.resolve("go");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        return fifo;
    }

    /** The program exits at once; its grandchild keeps its output open until the FIFO is written, then says its last. */
    private static String lateLastLine(Path fifo) {
        return "(read x < " + fifo + "; echo last; echo last-err >&2) & echo first";
    }

    @Test
    void closeWritesALastLineThatComesLongAfterTheProgramExited() throws Exception {
        Path fifo = fifo();
        CapturedStream out = CapturedStream.flowing();
        CapturedStream err = CapturedStream.flowing();
        Path log = dir.resolve("app.log");
        OutputRouter router = OutputRouter.headless(out.print, err.print, List.of("web", "app"), w -> { });
        try (Programs programs = new Programs()) {
            Child web = programs.start(router.route("web", OutputTarget.PREFIX), lateLastLine(fifo));
            Child app = programs.start(router.route("app", new OutputTarget.ToFile(log)), "echo to-file");
            Await.until(WAIT, "both programs exit", () -> web.exitStatus().isPresent() && app.exitStatus().isPresent());
            Await.until(WAIT, "web's first line", () -> out.lines().equals(List.of("web | first")));
            Thread closer = new Thread(router::close, "closer");
            long closeBegan = System.nanoTime();
            closer.start();
            // Past the old quiet window: the heuristic would have stopped the writers by now.
            Await.until(WAIT, "the old quiet window passes",
                    () -> System.nanoTime() - closeBegan > 4 * OLD_QUIET_WINDOW.toNanos());
            assertTrue(closer.isAlive(), "close waits for web's pipes, which a grandchild holds");
            Files.writeString(fifo, "go\n");
            closer.join(WAIT.toMillis());
            assertFalse(closer.isAlive(), "close returned once the pipes ended");
            assertTrue(System.nanoTime() - closeBegan < PrefixedConsole.CLOSE_WAIT.toNanos(),
                    "before the two-second cap");
        }
        assertEquals(List.of("web | first", "web | last"), out.lines());
        assertEquals(List.of("web | last-err"), err.lines());
        assertEquals(List.of("to-file"), Files.readAllLines(log));
    }

    @Test
    void closeReturnsAsSoonAsThePipesHaveEnded() throws Exception {
        CapturedStream out = CapturedStream.flowing();
        PrefixedConsole console = PrefixedConsole.start(out.print, CapturedStream.flowing().print, List.of("a", "b"));
        try (Programs programs = new Programs()) {
            programs.start("echo a1; echo a2", console.forProgram("a"));
            programs.start("printf 'b without newline'", console.forProgram("b"));
            // No waiting for the programs here: close itself waits for their pipes.
            long began = System.nanoTime();
            console.close();
            long tookNanos = System.nanoTime() - began;
            assertEquals(0, console.openPipes(), "every pipe ended");
            assertTrue(tookNanos < PrefixedConsole.CLOSE_WAIT.toNanos() / 2,
                    "close took " + tookNanos / 1_000_000 + " ms; it waits for the ends, not the cap");
        }
        List<String> lines = out.lines();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.containsAll(List.of("a | a1", "a | a2", "b | b without newline")), lines.toString());
    }

    @Test
    void aPipeADaemonKeepsOpenIsWaitedForUntilTheCapOnly() throws Exception {
        Path fifo = fifo();
        CapturedStream out = CapturedStream.flowing();
        PrefixedConsole console = PrefixedConsole.start(out.print, CapturedStream.flowing().print, List.of("web"));
        try (Programs programs = new Programs()) {
            Child web = programs.start(lateLastLine(fifo), console.forProgram("web"));
            Await.until(WAIT, "web exits", () -> web.exitStatus().isPresent());
            Await.until(WAIT, "web's first line", () -> out.lines().equals(List.of("web | first")));
            long began = System.nanoTime();
            console.close();
            long tookNanos = System.nanoTime() - began;
            assertTrue(tookNanos >= PrefixedConsole.CLOSE_WAIT.toNanos() - 50_000_000L,
                    "close waited for the open pipes, " + tookNanos / 1_000_000 + " ms");
            assertTrue(tookNanos < PrefixedConsole.CLOSE_WAIT.toNanos() + 1_000_000_000L,
                    "and gave up at the cap, " + tookNanos / 1_000_000 + " ms");
            assertEquals(2, console.openPipes(), "the grandchild still holds stdout and stderr");
        }
        // Programs.close killed the group, grandchild included.
        assertEquals(List.of("web | first"), out.lines());
    }

    @Test
    void anEndWithoutItsBeginDoesNotHideALaterPipe() {
        PrefixedConsole console = PrefixedConsole.start(CapturedStream.flowing().print, CapturedStream.flowing().print,
                List.of("x"));
        try {
            OutputSink x = console.forProgram("x");
            x.end(OutputSink.Stream.STDOUT);
            assertEquals(0, console.openPipes());
            x.begin(OutputSink.Stream.STDOUT);
            x.begin(OutputSink.Stream.STDERR);
            assertEquals(2, console.openPipes());
            x.end(OutputSink.Stream.STDOUT);
            x.end(OutputSink.Stream.STDERR);
            assertEquals(0, console.openPipes());
        } finally {
            console.close();
        }
    }
}
