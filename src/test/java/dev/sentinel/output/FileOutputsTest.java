package dev.sentinel.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.Child;
import dev.sentinel.platform.OutputSink;
import dev.sentinel.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileOutputsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void bothStreamsAreAppendedToWhatIsThereAsWritten() throws Exception {
        Path file = dir.resolve("web.log");
        Files.writeString(file, "kept\n");
        try (Programs programs = new Programs(); FileOutputs files = new FileOutputs(w -> { })) {
            Child c = programs.start("echo one; echo two >&2; printf '\\033[1mbold\\033[0m\\n'", files.forProgram("web", file));
            Await.until(WAIT, "the program exits", () -> c.exitStatus().isPresent());
            Await.until(WAIT, () -> "four lines, saw " + lines(file), () -> lines(file).size() == 4);
        }
        List<String> lines = lines(file);
        assertEquals("kept", lines.get(0), "appended, never truncated");
        // Its two streams are two pipes: their order against each other is not kept.
        assertEquals(List.of("\u001b[1mbold\u001b[0m", "one", "two"), lines.subList(1, 4).stream().sorted().toList());
        assertEquals(List.of("one", "\u001b[1mbold\u001b[0m"), lines.stream().filter(l -> !l.equals("two")).skip(1).toList());
    }

    @Test
    void rotatesBySizeKeepingThree() throws Exception {
        Path file = dir.resolve("out.log");
        // "line-000\n" is 9 bytes: 111 lines fill 999 of 1000 bytes.
        try (Programs programs = new Programs(); FileOutputs files = new FileOutputs(1000, w -> { }, System::nanoTime)) {
            Child c = programs.start("seq -f 'line-%03g' 0 499", files.forProgram("seq", file));
            Await.until(WAIT, "the program exits", () -> c.exitStatus().isPresent());
            Await.until(WAIT, () -> "the last line, saw " + lines(file), () -> lines(file).contains("line-499"));
        }
        assertEquals(numbered(444, 500), lines(file), "the newest lines in the file itself");
        assertEquals(numbered(333, 444), lines(dir.resolve("out.log.1")));
        assertEquals(numbered(222, 333), lines(dir.resolve("out.log.2")));
        assertEquals(numbered(111, 222), lines(dir.resolve("out.log.3")), "the oldest kept");
        assertFalse(Files.exists(dir.resolve("out.log.4")));
    }

    @Test
    void aBrokenFileIsSaidOnceAndOpenedAgainLaterWithTheCountOfLostLines() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = sub.resolve("out.log");
        List<String> warnings = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        AtomicLong clockReads = new AtomicLong();
        LongSupplier nanos = () -> {
            clockReads.incrementAndGet();
            return now.get();
        };
        try (FileOutputs files = new FileOutputs(20, w -> {
            synchronized (warnings) {
                warnings.add(w);
            }
        }, nanos)) {
            OutputSink sink = files.forProgram("app", file);
            sink.line(OutputSink.Stream.STDOUT, "a".repeat(10));
            Await.until(WAIT, "the first line", () -> lines(file).size() == 1);
            Files.delete(file);
            Files.delete(sub);
            // 11 + 11 bytes passes 20: the rotation's new file cannot be created.
            sink.line(OutputSink.Stream.STDOUT, "b".repeat(10));
            Await.until(WAIT, "a warning", () -> files.broken(file));
            sink.line(OutputSink.Stream.STDOUT, "c1");
            sink.line(OutputSink.Stream.STDERR, "c2");
            // The broken file looks at the clock once when it breaks, and once for each line after.
            Await.until(WAIT, "both lines seen while broken", () -> clockReads.get() == 3);
            Files.createDirectory(sub);
            now.addAndGet(FileDestination.RETRY_NANOS);
            sink.line(OutputSink.Stream.STDOUT, "d");
            Await.until(WAIT, () -> "the file again, saw " + lines(file), () -> lines(file).equals(List.of("d")));
        }
        String reason = "its directory " + sub.toAbsolutePath() + " does not exist";
        // The notice alone is past the 20 bytes, so "d" rotated it away: rotation goes on after a reopen.
        assertEquals(List.of("[sentinel: dropped 3 lines: the file could not be written (" + reason + ")]"),
                lines(sub.resolve("out.log.1")));
        synchronized (warnings) {
            assertEquals(2, warnings.size(), warnings.toString());
            assertEquals("the output file " + file + " cannot be written (" + reason + "); its lines are dropped and "
                    + "counted, and it is opened again every 10 s", warnings.get(0));
            assertEquals("the output file " + file + " is written again; 3 lines were lost", warnings.get(1));
        }
    }

    @Test
    void closeWritesWhatIsQueuedAndStopsTheWriter() throws IOException {
        Path file = dir.resolve("many.log");
        FileOutputs files = new FileOutputs(w -> { });
        OutputSink sink = files.forProgram("app", file);
        IntStream.range(0, 1000).forEach(i -> sink.line(OutputSink.Stream.STDOUT, "line-" + i));
        files.close();
        assertTrue(files.stopped());
        assertEquals(IntStream.range(0, 1000).mapToObj(i -> "line-" + i).toList(), lines(file));
    }

    private static List<String> numbered(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> String.format("line-%03d", i)).toList();
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            return List.of();
        }
    }
}
