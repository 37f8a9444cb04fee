package dev.sentinel.events;

import dev.sentinel.platform.RotatingFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * only queues the event. If the file cannot be written any more (disk full, removed directory),
 * the journal says so once through {@code warnings} and stops; the guard goes on.
 */
public final class Journal implements EventSink, AutoCloseable {

    static final long ROTATE_BYTES = RotatingFile.ROTATE_BYTES;
    private static final String ROTATE_BYTES_TEXT = "10 MiB";
    /** Rotated files kept beside the journal. */
    static final int KEEP = RotatingFile.KEEP;
    private static final Event END = new Event(0, "", EventKind.WARNING, "end");

    private final Path path;
    private final EventJson json;
    private final Consumer<String> warnings;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>(10_000);
    private final Thread writer;
    private final RotatingFile file;
    private volatile boolean failed;

    private Journal(Path path, EventJson json, Consumer<String> warnings, RotatingFile file) {
        this.path = path;
        this.json = json;
        this.warnings = warnings;
        this.file = file;
        this.writer = new Thread(this::drain, "sentinel-journal");
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Opens {@code path} for appending, creating it if needed.
     *
     * @param warnings told, once, when writing fails later (on the journal's thread)
     * @throws IOException with a message fit for a user when the file cannot be opened
     */
    public static Journal open(Path path, EventJson json, Consumer<String> warnings) throws IOException {
        return open(path, ROTATE_BYTES, json, warnings);
    }

    /** For tests: rotate at {@code rotateBytes}. */
    static Journal open(Path path, long rotateBytes, EventJson json, Consumer<String> warnings) throws IOException {
        return new Journal(path, json, warnings, RotatingFile.open(path, rotateBytes, KEEP));
    }

    /** The journal's file. */
    public Path path() {
        return path;
    }

    @Override
    public void emit(Event event) {
        // A full queue means the disk has been stuck for 10,000 events: dropping beats blocking the loop.
        if (!failed) {
            queue.offer(event);
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
                Event e = queue.take();
                if (e == END) {
                    break;
                }
                if (!failed) {
                    write(e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            file.close();
        }
    }

    private void write(Event e) {
        byte[] line = (json.line(e) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            // Flushed at once: each event is in the kernel as soon as it happens.
            file.append(line);
            file.flush();
        } catch (IOException | RuntimeException ex) {
            failed = true;
            file.close();
            warnings.accept("the journal " + path + " cannot be written (" + RotatingFile.reason(ex)
                    + "); it stops here, and the guard goes on");
        }
    }
}
