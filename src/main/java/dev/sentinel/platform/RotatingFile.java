package dev.sentinel.platform;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file that lines are appended to and that is rotated by size: when a line would take it past
 * the limit, {@code FILE.(keep-1)} becomes {@code FILE.keep}, ..., {@code FILE} becomes
 * {@code FILE.1}, and a new {@code FILE} is started. The journal and {@code output = PATH} both
 * rotate this way (10 MiB, 3 kept), so the rule lives here once.
 *
 * <ul>
 * <li>Opened with O_APPEND and never truncated: what was there stays, and another writer
 * appending to the same file does not overwrite us.</li>
 * <li>Lines are buffered until {@link #flush()}, which hands them to the kernel in one write, so
 * a caller decides how often it pays a system call (the journal: every line; program output: every
 * batch), and a line is never torn. A file never passes the limit unless one line alone does.</li>
 * <li>Not thread-safe: one writer thread owns it.</li>
 * </ul>
 */
public final class RotatingFile implements Closeable {

    /** The rotation size of the journal and of output files. */
    public static final long ROTATE_BYTES = 10L * 1024 * 1024;
    /** How many rotated files are kept beside the live one. */
    public static final int KEEP = 3;
    private static final int BUFFER_BYTES = 16 * 1024;

    private final Path path;
    private final long rotateBytes;
    private final int keep;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    private FileChannel channel;
    /** Bytes in the file, not counting the buffer. */
    private long size;

    private RotatingFile(Path path, long rotateBytes, int keep, FileChannel channel) throws IOException {
        this.path = path;
        this.rotateBytes = rotateBytes;
        this.keep = keep;
        this.channel = channel;
        this.size = channel.size();
    }

    /**
     * Opens {@code path} for appending, creating it if needed.
     *
     * @throws IOException with a message fit for a user ("its directory /x does not exist")
     */
    public static RotatingFile open(Path path, long rotateBytes, int keep) throws IOException {
        if (rotateBytes < 1 || keep < 1) {
            throw new IllegalArgumentException("rotateBytes and keep must be positive");
        }
        FileChannel channel = openChannel(path);
        try {
            return new RotatingFile(path, rotateBytes, keep, channel);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    /** Adds one whole line (its newline included), rotating first if it would take the file past the limit. */
    public void append(byte[] line) throws IOException {
        long pending = size + buffer.position();
        if (pending > 0 && pending + line.length > rotateBytes) {
            flush();
            rotate();
        }
        if (line.length > buffer.remaining()) {
            flush();
            if (line.length > buffer.capacity()) {
                writeFully(ByteBuffer.wrap(line));
                size += line.length;
                return;
            }
        }
        buffer.put(line);
    }

    /** Writes the buffered lines in one write(2). */
    public void flush() throws IOException {
        if (buffer.position() == 0) {
            return;
        }
        buffer.flip();
        int n = buffer.remaining();
        try {
            writeFully(buffer);
            size += n;
        } finally {
            // After a failure the lines are lost rather than written twice.
            buffer.clear();
        }
    }

    /** Closes the file without flushing (call {@link #flush()} first to keep the buffer). */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more can be written anyway
        }
    }

    private void writeFully(ByteBuffer b) throws IOException {
        // A regular file takes the whole buffer in one write(2); the loop covers the unusual rest.
        while (b.hasRemaining()) {
            channel.write(b);
        }
    }

    private void rotate() throws IOException {
        close();
        for (int i = keep - 1; i >= 1; i--) {
            Path from = sibling(i);
            if (Files.exists(from)) {
                Files.move(from, sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        // Someone may have removed the file (by hand, or a logrotate that does not know us): then
        // there is nothing to keep, and a new file is started all the same.
        if (Files.exists(path)) {
            Files.move(path, sibling(1), StandardCopyOption.REPLACE_EXISTING);
        }
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
        } catch (AccessDeniedException e) {
            throw new IOException("permission denied", e);
        } catch (FileSystemException e) {
            throw new IOException(e.getReason() != null ? e.getReason() : String.valueOf(e.getMessage()), e);
        }
    }

    /** Why a write failed, as a few words for a warning ("No space left on device"). */
    public static String reason(Exception e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
