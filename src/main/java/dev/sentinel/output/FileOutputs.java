package dev.sentinel.output;

import dev.sentinel.platform.RotatingFile;
import dev.sentinel.platform.OutputSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * {@code output = PATH}, for every program that has one: each program's stdout and stderr lines
 * appended to its file as written (no prefix), rotated at 10 MiB with 3 kept ({@code PATH.1}
 * newest ... {@code PATH.3} oldest), exactly as the journal rotates. A file is opened once however
 * many programs write to it, so two programs sharing a file never rotate it under each other, and
 * its lines stay whole.
 *
 * <p>Written by one thread for all files, started with the first file, not by the output reader: a
 * stuck disk (a full NFS mount) then costs dropped lines, counted in the file once it moves again,
 * instead of programs frozen on full pipes; and a flooding program's lines go out in batches, one
 * write(2) each, instead of one system call per line.
 */
public final class FileOutputs implements AutoCloseable {

    /** What one program may have waiting: a disk takes this in milliseconds. */
    static final long PER_PROGRAM_BYTES = 256 * 1024;
    static final long TOTAL_BYTES = 2 * 1024 * 1024;
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final long rotateBytes;
    private final Consumer<String> warnings;
    private final LongSupplier nanos;
    private final Map<Path, FileDestination> files = new HashMap<>();
    private LineDrain drain;
    private boolean closed;

    /**
     * @param warnings told, on the writer thread, when a file cannot be written any more (disk
     *                 full, directory removed) and when it can again
     */
    public FileOutputs(Consumer<String> warnings) {
        this(RotatingFile.ROTATE_BYTES, warnings, System::nanoTime);
    }

    /** For tests: rotate at {@code rotateBytes}, retry a broken file by {@code nanos}. */
    FileOutputs(long rotateBytes, Consumer<String> warnings, LongSupplier nanos) {
        this.rotateBytes = rotateBytes;
        this.warnings = warnings;
        this.nanos = nanos;
    }

    /**
     * The sink for {@code name}'s lines (both streams) into {@code path}; opens the file, creating
     * it, on its first use.
     *
     * @throws IOException with a message fit for a user ("its directory /x does not exist")
     */
    public synchronized OutputSink forProgram(String name, Path path) throws IOException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        Path key = path.toAbsolutePath().normalize();
        FileDestination file = files.get(key);
        if (file == null) {
            file = new FileDestination(RotatingFile.open(path, rotateBytes, RotatingFile.KEEP), rotateBytes, warnings,
                    nanos);
            files.put(key, file);
        }
        if (drain == null) {
            drain = new LineDrain("output-to-files", PER_PROGRAM_BYTES, TOTAL_BYTES).start();
        }
        drain.attach(file);
        LineDrain d = drain;
        FileDestination to = file;
        return new OutputSink() {
            @Override
            public void line(Stream stream, String text) {
                d.offer(to, name, FileDestination.encode(text));
            }

            @Override
            public void begin(Stream stream) {
                d.pipeBegan();
            }

            @Override
            public void end(Stream stream) {
                d.pipeEnded();
            }
        };
    }

    /** Whether {@code path} cannot be written now (said through the warnings; it is retried every 10 s). */
    synchronized boolean broken(Path path) {
        FileDestination f = files.get(path.toAbsolutePath().normalize());
        return f != null && f.broken();
    }

    /** For tests: whether the writer thread has ended after {@link #close()} (or never started). */
    synchronized boolean stopped() {
        return drain == null || drain.stopped();
    }

    /**
     * Writes what is queued and what the open pipes still bring, until each has ended, and closes
     * the files; waits at most two seconds, for a stuck disk or a pipe a daemon keeps open.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        beginClose(deadline);
        awaitStop(deadline);
    }

    /**
     * Stops taking new programs and tells the writer to finish by {@code deadlineNanos}
     * (System.nanoTime); the writer closes the files when it ends.
     */
    synchronized void beginClose(long deadlineNanos) {
        closed = true;
        if (drain != null) {
            drain.beginClose(deadlineNanos);
        }
    }

    void awaitStop(long deadlineNanos) {
        LineDrain d;
        synchronized (this) {
            d = drain;
        }
        if (d != null) {
            d.awaitStop(deadlineNanos);
        }
    }
}
