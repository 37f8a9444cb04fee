package dev.sentinel.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * <li>When a line would take the file past {@value #ROTATE_BYTES_TEXT}, the file is rotated first:
 * {@code FILE.2} becomes {@code FILE.3}, {@code FILE.1} becomes {@code FILE.2}, {@code FILE}
 * becomes {@code FILE.1}, and a new {@code FILE} is started.</li>
 * </ul>
 *
 * <p>Writing happens on its own thread: a slow disk must never delay a sample or a kill. The loop
 * only queues the event. If the file cannot be written any more (disk full, removed directory),
 * the journal says so once through {@code warnings} and stops; the guard goes on.
 */
public final class Journal implements EventSink, AutoCloseable {

    static final long ROTATE_BYTES = 10L * 1024 * 1024;
    private static final String ROTATE_BYTES_TEXT = "10 MiB";
    /** Rotated files kept beside the journal. */
    static final int KEEP = 3;
    private static final Event END = new Event(0, "", EventKind.WARNING, "end");

    private final Path path;
    private final long rotateBytes;
    private final EventJson json;
    private final Consumer<String> warnings;
    private final BlockingQueue<Event> queue = new LinkedBlockingQueue<>(10_000);
    private final Thread writer;
    private FileChannel channel;
    private long size;
    private volatile boolean failed;

    private Journal(Path path, long rotateBytes, EventJson json, Consumer<String> warnings, FileChannel channel)
            throws IOException {
        this.path = path;
        this.rotateBytes = rotateBytes;
        this.json = json;
        this.warnings = warnings;
        this.channel = channel;
        this.size = channel.size();
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
        return new Journal(path, rotateBytes, json, warnings, openChannel(path));
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
            closeChannel();
        }
    }

    private void write(Event e) {
        byte[] line = (json.line(e) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            if (size > 0 && size + line.length > rotateBytes) {
                rotate();
            }
            ByteBuffer b = ByteBuffer.wrap(line);
            // A regular file takes the whole line in one write(2); the loop covers the unusual rest.
            while (b.hasRemaining()) {
                channel.write(b);
            }
            size += line.length;
        } catch (IOException | RuntimeException ex) {
            failed = true;
            closeChannel();
            warnings.accept("the journal " + path + " cannot be written (" + reason(ex) + "); it stops here, "
                    + "and the guard goes on");
        }
    }

    private void rotate() throws IOException {
        closeChannel();
        for (int i = KEEP - 1; i >= 1; i--) {
            Path from = sibling(i);
            if (Files.exists(from)) {
                Files.move(from, sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(path, sibling(1), StandardCopyOption.REPLACE_EXISTING);
        channel = openChannel(path);
        size = channel.size();
    }

    private Path sibling(int n) {
        return path.resolveSibling(path.getFileName() + "." + n);
    }

    private static FileChannel openChannel(Path path) throws IOException {
        try {
            return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            throw new IOException("its directory " + path.toAbsolutePath().getParent() + " does not exist", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("permission denied", e);
        } catch (java.nio.file.FileSystemException e) {
            throw new IOException(e.getReason() != null ? e.getReason() : String.valueOf(e.getMessage()), e);
        }
    }

    private void closeChannel() {
        FileChannel c = channel;
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // nothing more can be written anyway
            }
        }
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
