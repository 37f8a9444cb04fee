package dev.sentinel.events;

import dev.sentinel.platform.RotatingFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Every lifecycle event as one JSON line ({@link EventJson}) appended to a file: {@code --journal FILE}.
 *
 * <ul>
 * <li>The file is opened for appending (O_APPEND) and never truncated.</li>
 * <li>Each line goes to the kernel in one write as soon as the event happens, so what was written
 * survives a SIGKILL of Sentinel and a line is never torn. (Written, not synced: a power loss can
 * still lose the last lines.)</li>
 * <li>When a line would take the file past {@value #ROTATE_BYTES_TEXT}, the file is rotated first
 * ({@link RotatingFile}): {@code FILE.2} becomes {@code FILE.3}, {@code FILE.1} becomes
 * {@code FILE.2}, {@code FILE} becomes {@code FILE.1}, and a new {@code FILE} is started.</li>
 * </ul>
 *
 * <p>Writing happens on its own thread: a slow disk must never delay a sample or a kill. The loop
 * only queues the event. If the file cannot be written (disk full, read-only filesystem, removed
 * directory), the journal says so once through {@code warnings}, holds the events it could not write
 * in memory (at most {@value #HOLD} of them; beyond that the newest are dropped and counted), and
 * tries again at the next event and every second, at most once a second ({@link HeldLines}). When the
 * file takes lines again the held ones are written first, in order, and the journal says once that it
 * is written again and how many events were dropped. The guard goes on throughout.
 */
public final class Journal implements EventSink, AutoCloseable {

    static final long ROTATE_BYTES = RotatingFile.ROTATE_BYTES;
    private static final String ROTATE_BYTES_TEXT = "10 MiB";
    /** Rotated files kept beside the journal. */
    static final int KEEP = RotatingFile.KEEP;
    /** Events held in memory while the file cannot be written. */
    static final int HOLD = 10_000;
    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Event END = new Event(0, "", EventKind.WARNING, "end");

    private final Path path;
    private final long rotateBytes;
    private final EventJson json;
    private final Consumer<String> warnings;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>(10_000);
    /** Events the loop could not even queue (the writer thread stuck): counted, told at the recovery. */
    private final AtomicLong unqueued = new AtomicLong();
    private final Thread writer;
    private final HeldLines lines;
    /** Null after a failure, until it is opened again (so a filesystem can be remounted read-only). */
    private RotatingFile file;

    private Journal(Path path, long rotateBytes, EventJson json, Consumer<String> warnings, RotatingFile file) {
        this.path = path;
        this.rotateBytes = rotateBytes;
        this.json = json;
        this.warnings = warnings;
        this.file = file;
        this.lines = new HeldLines(HOLD, RETRY_NANOS, System::nanoTime, this::writeLine, new HeldLines.Reports() {
            @Override
            public void failed(String reason) {
                warnings.accept("the journal " + path + " cannot be written (" + reason + "); its events are held "
                        + "in memory (up to " + HOLD + ") and it is tried again every second; the guard goes on");
            }

            @Override
            public void recovered(long written, long dropped) {
                warnings.accept("the journal " + path + " is written again; " + written + " held event"
                        + (written == 1 ? " was" : "s were") + " written late, "
                        + (dropped == 0 ? "none was lost" : dropped + " dropped (the memory bound was reached)"));
            }
        });
        this.writer = new Thread(this::drain, "sentinel-journal");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens {@code path} for appending, creating it if needed.
     *
     * @param warnings told, once, when writing fails later, and once when it works again (on the journal's thread)
     * @throws IOException with a message fit for a user when the file cannot be opened
     */
    public static Journal open(Path path, EventJson json, Consumer<String> warnings) throws IOException {
        return open(path, ROTATE_BYTES, json, warnings);
    }

    /** For tests: rotate at {@code rotateBytes}. */
    static Journal open(Path path, long rotateBytes, EventJson json, Consumer<String> warnings) throws IOException {
        return new Journal(path, rotateBytes, json, warnings, RotatingFile.open(path, rotateBytes, KEEP));
    }

    /** The journal's file. */
    public Path path() {
        return path;
    }

    @Override
    public void emit(Event event) {
        // A full queue means the writer thread itself is stuck (a hung disk): dropping beats blocking the loop.
        if (!queue.offer(event)) {
            unqueued.incrementAndGet();
        }
    }

    /** Writes what is queued (waiting at most two seconds) and closes the file. */
    @Override
    public void close() {
        queue.offer(END);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void drain() {
        try {
            while (true) {
                // While events are held, wake every retry period even with no new event, so they reach
                // the file soon after it has room again.
                Event e = lines.holding() ? queue.poll(RETRY_NANOS, TimeUnit.NANOSECONDS) : queue.take();
                if (e == END) {
                    // Sentinel exits: what is still held gets one last try (the disk may have room by now).
                    lines.lastTry();
                    break;
                }
                long lost = unqueued.getAndSet(0);
                if (lost > 0) {
                    lines.droppedBefore(lost);
                }
                if (e == null) {
                    lines.tick();
                } else {
                    lines.add((json.line(e) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (file != null) {
                file.close();
            }
        }
    }

    /** One line to the file, reopening it first after a failure; on failure the file is closed again. */
    private void writeLine(byte[] line) throws IOException {
        try {
            if (file == null) {
                file = RotatingFile.open(path, rotateBytes, KEEP);
                if (endsMidLine(path)) {
                    // A write cut short by the full disk left half a line: end it, so the next line is whole.
                    file.append(new byte[] {'\n'});
                }
            }
            // Flushed at once: each event is in the kernel as soon as it happens.
            file.append(line);
            file.flush();
        } catch (IOException | RuntimeException e) {
            if (file != null) {
                file.close();
                file = null;
            }
            throw e;
        }
    }

    private static boolean endsMidLine(Path path) {
        try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = c.size();
            if (size == 0) {
                return false;
            }
            ByteBuffer last = ByteBuffer.allocate(1);
            return c.read(last, size - 1) == 1 && last.get(0) != '\n';
        } catch (IOException e) {
            return false;
        }
    }
}
