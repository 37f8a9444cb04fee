package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both ways the launcher reads captured output, with real programs through real pipes: the one
 * poll reader thread ("poll") and the pump threads of the fallback ("threads").
 */
class OutputCaptureTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CUT = PipeLines.CUT_MARK;

    private final CommandResolver resolver = CommandResolver.fromEnvironment();
    private final LibcSignaller signaller = new LibcSignaller(new Libc());
    private final List<Child> children = new ArrayList<>();
    private PollReader reader;

    @TempDir
    Path dir;

    @AfterEach
    void killEverything() {
        for (Child c : children) {
            signaller.signalGroup(c.pgid(), Signal.KILL);
        }
        if (reader != null) {
            reader.close();
        }
    }

    private static LinuxPipes os() {
        LinuxPipes os = LinuxPipes.load();
        assertNotNull(os, "pipe2, eventfd and poll through JNA work on Linux");
        return os;
    }

    private OutputCapture capture(String way) throws IOException {
        if (way.equals("threads")) {
            return OutputCapture.threads();
        }
        if (reader == null) {
            reader = new PollReader(os());
        }
        return OutputCapture.poll(reader);
    }

    private Child start(String way, String script, OutputSink sink) throws Exception {
        SetsidLauncher launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), false,
                capture(way));
        Child c = launcher.launch(new LaunchSpec(List.of("sh", "-c", script), sink));
        children.add(c);
        return c;
    }

    private static void awaitEnded(RecordingSink sink) {
        Await.until(WAIT, () -> "both pipes end, saw " + sink, sink::ended);
    }

    private static void assertEndedOnce(RecordingSink sink) {
        for (OutputSink.Stream s : OutputSink.Stream.values()) {
            assertEquals(1, sink.begins(s), "begin once on " + s);
            assertEquals(1, sink.ends(s), "end once on " + s);
        }
        assertEquals(List.of(), sink.problems());
    }

    private static String numbered(String prefix, int count, String redirect) {
        return "i=0; while [ $i -lt " + count + " ]; do echo " + prefix + "-$i" + redirect + "; i=$((i+1)); done";
    }

    private static List<String> numbers(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + "-" + i).toList();
    }

    @Test
    void sentinelsOwnCaptureIsThePollReaderOnLinux() {
        assertTrue(OutputCapture.system().polls());
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "threads"})
    void severalChildrenAtOnceEachGetTheirLinesInOrderAndOneEndPerStream(String way) throws Exception {
        int programs = 6;
        int count = 400;
        List<RecordingSink> sinks = new ArrayList<>();
        List<Child> started = new ArrayList<>();
        for (int p = 0; p < programs; p++) {
            RecordingSink sink = new RecordingSink();
            sinks.add(sink);
            started.add(start(way, numbered("out" + p, count, "") + "; " + numbered("err" + p, count, " >&2"), sink));
        }
        for (int p = 0; p < programs; p++) {
            RecordingSink sink = sinks.get(p);
            awaitEnded(sink);
            assertEquals(numbers("out" + p, count), sink.lines(OutputSink.Stream.STDOUT));
            assertEquals(numbers("err" + p, count), sink.lines(OutputSink.Stream.STDERR));
            assertEndedOnce(sink);
            if (way.equals("poll")) {
                assertEquals(List.of("output-reader"), sink.threads(), "one thread reads every program");
            }
        }
        if (way.equals("poll")) {
            for (Child c : started) {
                assertTrue(Thread.getAllStackTraces().keySet().stream()
                        .noneMatch(t -> t.getName().endsWith("-" + c.pid()) && t.getName().startsWith("output-")),
                        "no pump thread for " + c.pid());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "threads"})
    void aLastLineWithoutANewlineComesWhenTheProgramExits(String way) throws Exception {
        RecordingSink sink = new RecordingSink();
        start(way, "printf 'one\\ntwo\\r\\nno newline'; printf 'err without one' >&2", sink);
        awaitEnded(sink);
        assertEquals(List.of("one", "two", "no newline"), sink.lines(OutputSink.Stream.STDOUT));
        assertEquals(List.of("err without one"), sink.lines(OutputSink.Stream.STDERR));
        assertEndedOnce(sink);
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "threads"})
    void longLinesAreCutAndEveryKindOfLineEndCountsAsInTheSplitter(String way) throws Exception {
        RecordingSink sink = new RecordingSink();
        String script = String.join("; ",
                "head -c 100000 /dev/zero | tr '\\0' x", "echo", "echo after",
                "printf x", "yes é | head -n 40000 | tr -d '\\n'", "echo",
                "printf 'crlf\\r\\nlone\\rcr\\n\\n'",
                "printf 'last without newline'");
        start(way, script, sink);
        awaitEnded(sink);
        assertEquals(List.of("x".repeat(65536) + CUT, "after", "x" + "é".repeat(32767) + CUT, "crlf", "lone",
                "cr", "", "last without newline"), sink.lines(OutputSink.Stream.STDOUT));
        assertEndedOnce(sink);
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "threads"})
    void aSinkThatThrowsLosesItsLinesAndNothingElse(String way) throws Exception {
        RecordingSink stderrOnly = new RecordingSink();
        OutputSink thrower = new OutputSink() {
            @Override
            public void line(Stream stream, String text) {
                if (stream == Stream.STDOUT) {
                    throw new IllegalStateException("a broken sink");
                }
                stderrOnly.line(stream, text);
            }

            @Override
            public void begin(Stream stream) {
                stderrOnly.begin(stream);
            }

            @Override
            public void end(Stream stream) {
                stderrOnly.end(stream);
            }
        };
        RecordingSink other = new RecordingSink();
        start(way, numbered("lost", 500, "") + "; echo kept >&2", thrower);
        start(way, numbered("other", 500, ""), other);
        awaitEnded(stderrOnly);
        awaitEnded(other);
        assertEquals(List.of("kept"), stderrOnly.lines(OutputSink.Stream.STDERR));
        assertEquals(numbers("other", 500), other.lines(OutputSink.Stream.STDOUT));
        assertEndedOnce(stderrOnly);
        assertEndedOnce(other);
        // And the reader still reads new programs.
        RecordingSink later = new RecordingSink();
        start(way, "echo later", later);
        awaitEnded(later);
        assertEquals(List.of("later"), later.lines(OutputSink.Stream.STDOUT));
    }

    @Test
    void aGrandchildHoldingThePipeDelaysTheEndUntilItExits() throws Exception {
        Path fifo = dir.resolve("go");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        RecordingSink sink = new RecordingSink();
        // The grandchild inherits stdout and stderr and waits on the FIFO; the child exits at once.
        Child child = start("poll", "(read x < " + fifo + "; echo grandchild-last; echo grandchild-err >&2) & "
                + "echo child-done", sink);
        Await.until(WAIT, "the child exits", () -> child.exitStatus().isPresent());
        Await.until(WAIT, () -> "the child's line, saw " + sink.lines(OutputSink.Stream.STDOUT),
                () -> sink.lines(OutputSink.Stream.STDOUT).equals(List.of("child-done")));
        // The grandchild holds both write ends: neither pipe can have ended.
        assertEquals(0, sink.ends(OutputSink.Stream.STDOUT));
        assertEquals(0, sink.ends(OutputSink.Stream.STDERR));
        // Opening blocks until the grandchild opens it to read: no sleep needed.
        Files.writeString(fifo, "go\n");
        awaitEnded(sink);
        assertEquals(List.of("child-done", "grandchild-last"), sink.lines(OutputSink.Stream.STDOUT));
        assertEquals(List.of("grandchild-err"), sink.lines(OutputSink.Stream.STDERR));
        assertEndedOnce(sink);
    }

    @ParameterizedTest
    @ValueSource(strings = {"poll", "threads"})
    void aFloodDoesNotHoldUpAQuietProgram(String way) throws Exception {
        RecordingSink flood = new RecordingSink(false);
        Child flooding = start(way, "yes flood-line", flood);
        Await.until(WAIT, "the flood flows", () -> flood.count(OutputSink.Stream.STDOUT) > 100_000);
        long before = flood.count(OutputSink.Stream.STDOUT);
        RecordingSink quiet = new RecordingSink();
        Child q = start(way, numbered("quiet", 5000, ""), quiet);
        awaitEnded(quiet);
        assertEquals(numbers("quiet", 5000), quiet.lines(OutputSink.Stream.STDOUT));
        assertEndedOnce(quiet);
        // The pipes end when the shell closes them, a moment before its exit status can be reaped.
        Await.until(WAIT, "the quiet program exits", () -> q.exitStatus().isPresent());
        assertEquals(0, q.exitStatus().orElseThrow());
        assertTrue(flood.count(OutputSink.Stream.STDOUT) > before, "the flood went on being read");
        assertFalse(flooding.exitStatus().isPresent(), "the flood is still going");
        signaller.signalGroup(flooding.pgid(), Signal.KILL);
        awaitEnded(flood);
        assertEndedOnce(flood);
    }

    @Test
    void withNoPipeLeftTheReaderWaitsInJavaAndWakesForTheNextOne() throws Exception {
        reader = new PollReader(os());
        for (int run = 0; run < 3; run++) {
            RecordingSink sink = new RecordingSink();
            start("poll", "echo run-" + run, sink);
            awaitEnded(sink);
            assertEquals(List.of("run-" + run), sink.lines(OutputSink.Stream.STDOUT));
            assertEndedOnce(sink);
            // Blocked in poll(2) it would be RUNNABLE, in native code: HotSpot then holds the exit of
            // a Sentinel whose programs are all gone up by 300 ms, waiting for it (issue 18).
            Await.until(WAIT, () -> "the reader parks once no pipe is left; it is " + reader.threadState(),
                    () -> reader.threadState() == Thread.State.WAITING);
        }
    }

    @Test
    void everyFdIsClosedOnceThePipesEndAndTheReaderCloses() throws Exception {
        LinuxPipes os = os();
        Map<String, Long> before = fds();
        Map<String, String> openBefore = openFds();
        reader = new PollReader(os);
        int programs = 8;
        List<RecordingSink> sinks = new ArrayList<>();
        for (int p = 0; p < programs; p++) {
            RecordingSink sink = new RecordingSink();
            sinks.add(sink);
            start("poll", "echo started; exec sleep 1000", sink);
        }
        sinks.forEach(s -> Await.until(WAIT, "the program's first line",
                () -> s.lines(OutputSink.Stream.STDOUT).equals(List.of("started"))));
        // Sentinel keeps the read ends only: its write ends were closed right after the start.
        Await.until(WAIT, () -> "two pipe fds per program and one eventfd, saw " + fds() + " against " + before,
                () -> fds().get("pipe") == before.get("pipe") + 2 * programs
                        && fds().get("eventfd") == before.get("eventfd") + 1);
        for (Child c : children) {
            signaller.signalGroup(c.pgid(), Signal.KILL);
        }
        sinks.forEach(OutputCaptureTest::awaitEnded);
        sinks.forEach(OutputCaptureTest::assertEndedOnce);
        Await.until(WAIT, () -> "the read ends closed, saw " + fds() + " against " + before,
                () -> fds().get("pipe").equals(before.get("pipe")));
        reader.close();
        // Fd by fd, not by count: another part of this JVM (a cleaner closing an earlier test's
        // file) may close one of its own meanwhile, which a count would take for the reader's.
        Map<String, String> left = openFds();
        left.entrySet().removeIf(e -> e.getValue().equals(openBefore.get(e.getKey())));
        assertEquals(Map.of(), left, "every fd the reader made is closed");
    }

    /** Every open fd of this process and what it points at (the listing's own fd left out). */
    private static Map<String, String> openFds() {
        Map<String, String> open = new java.util.HashMap<>();
        String[] names = new File("/proc/self/fd").list();
        assertNotNull(names);
        for (String n : names) {
            try {
                open.put(n, Files.readSymbolicLink(Path.of("/proc/self/fd", n)).toString());
            } catch (IOException e) {
                // The listing's own directory fd, closed by now.
            }
        }
        return open;
    }

    @Test
    void aLaunchThatFailsClosesItsPipes() throws Exception {
        reader = new PollReader(os());
        Map<String, Long> before = fds();
        SetsidLauncher broken = new SetsidLauncher(resolver, Path.of("/nonexistent/setsid"), false,
                OutputCapture.poll(reader));
        RecordingSink sink = new RecordingSink();
        LaunchException e = assertThrows(LaunchException.class,
                () -> broken.launch(new LaunchSpec(List.of("sh", "-c", "echo never"), sink)));
        assertEquals(126, e.exitCode());
        assertEquals(before, fds());
        assertEquals(0, sink.begins(OutputSink.Stream.STDOUT), "no pipe began");
    }

    @Test
    void aClosedReaderEndsWhatItStillReads() throws Exception {
        RecordingSink sink = new RecordingSink();
        start("poll", "echo started; exec sleep 1000", sink);
        Await.until(WAIT, "the first line", () -> sink.lines(OutputSink.Stream.STDOUT).equals(List.of("started")));
        reader.close();
        assertTrue(sink.ended(), "closing ends every pipe");
        assertEndedOnce(sink);
        // A launch after the close still begins and ends its pipes (nothing reads them).
        RecordingSink late = new RecordingSink();
        start("poll", "echo late", late);
        assertTrue(late.ended());
        assertEndedOnce(late);
    }

    /** Sentinel's own open fds by kind: "pipe", "eventfd", and "all" but regular files. */
    private static Map<String, Long> fds() {
        long pipes = 0;
        long eventFds = 0;
        long notFiles = 0;
        String[] names = new File("/proc/self/fd").list();
        assertNotNull(names);
        for (String n : names) {
            try {
                String target = Files.readSymbolicLink(Path.of("/proc/self/fd", n)).toString();
                if (!target.startsWith("/")) {
                    notFiles++;
                }
                if (target.startsWith("pipe:")) {
                    pipes++;
                } else if (target.equals("anon_inode:[eventfd]")) {
                    eventFds++;
                }
            } catch (IOException e) {
                // The listing's own directory fd, closed by now.
            }
        }
        // Every fd but regular files: the JVM opens and closes jars and class files on other threads
        // while a test runs (a CI run saw 57 for 58), and none of them is a launch's to close.
        return Map.of("pipe", pipes, "eventfd", eventFds, "all", notFiles);
    }
}
