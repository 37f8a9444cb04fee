package dev.sentinel.output;

import dev.sentinel.platform.OutputSink;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code output = "prefix"} in headless mode: every program's stdout lines to Sentinel's stdout,
 * its stderr lines to Sentinel's stderr, each after the program's name padded to the longest name
 * ({@code web    | GET / 200}), as docker compose and foreman do.
 *
 * <p>One writer thread per stream, so a stdout nobody reads does not hold up stderr. The sinks
 * only queue: a slow terminal or a flooding program never blocks the output reader, so no program
 * ever stalls on a full pipe because of another. What does not fit in the queues is dropped and
 * counted, and the count is written in place of the lost lines once writing resumes:
 * {@code web    | [sentinel: dropped 1234 lines: stdout could not keep up]}.
 *
 * <p>Give it the same PrintStream objects the lifecycle lines are printed through: the batches are
 * written under the stream's lock, so no line is ever cut by another.
 */
public final class PrefixedConsole implements AutoCloseable {

    /** What one program may have waiting per stream: about 800 lines of 100 characters. */
    static final long PER_PROGRAM_BYTES = 128 * 1024;
    /** What all programs together may have waiting per stream (the heap is 64 MiB). */
    static final long TOTAL_BYTES = 2 * 1024 * 1024;
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final AtomicInteger width = new AtomicInteger();
    private final ConsoleDestination stdout;
    private final ConsoleDestination stderr;
    private final LineDrain out;
    private final LineDrain err;

    PrefixedConsole(PrintStream out, PrintStream err, Collection<String> names, long perProgramBytes,
                    long totalBytes) {
        names.forEach(this::widen);
        this.stdout = new ConsoleDestination(out, "stdout", width::get);
        this.stderr = new ConsoleDestination(err, "stderr", width::get);
        this.out = new LineDrain("output-to-stdout", perProgramBytes, totalBytes);
        this.err = new LineDrain("output-to-stderr", perProgramBytes, totalBytes);
    }

    /**
     * Starts the two writer threads.
     *
     * @param names every program's name known now (those not started yet too), for the padding
     */
    public static PrefixedConsole start(PrintStream out, PrintStream err, Collection<String> names) {
        return start(out, err, names, PER_PROGRAM_BYTES, TOTAL_BYTES);
    }

    /** For tests: other queue sizes. */
    static PrefixedConsole start(PrintStream out, PrintStream err, Collection<String> names, long perProgramBytes,
                                 long totalBytes) {
        PrefixedConsole c = new PrefixedConsole(out, err, names, perProgramBytes, totalBytes);
        c.out.start();
        c.err.start();
        return c;
    }

    /**
     * The sink for one program's output; call it once per program or once per run, the lines go
     * to the same queues. A name longer than every one so far widens the padding from now on
     * (a reload that adds a long name); the width never shrinks, so columns do not jump back.
     */
    public OutputSink forProgram(String name) {
        widen(name);
        ProgramPrefix prefix = new ProgramPrefix(name, width);
        return new OutputSink() {
            @Override
            public void line(Stream stream, String text) {
                if (stream == Stream.STDERR) {
                    err.offer(stderr, name, prefix.line(text));
                } else {
                    out.offer(stdout, name, prefix.line(text));
                }
            }

            @Override
            public void begin(Stream stream) {
                drain(stream).pipeBegan();
            }

            @Override
            public void end(Stream stream) {
                drain(stream).pipeEnded();
            }
        };
    }

    private LineDrain drain(OutputSink.Stream stream) {
        return stream == OutputSink.Stream.STDERR ? err : out;
    }

    /** Pipes begun and not ended, both streams together. */
    int openPipes() {
        return out.openPipes() + err.openPipes();
    }

    /** The width names are padded to now. */
    int width() {
        return width.get();
    }

    private void widen(String name) {
        width.accumulateAndGet(name.length(), Math::max);
    }

    /**
     * Writes what is queued and what the open pipes still bring, until each has ended, and stops
     * the writers; waits at most two seconds, for a stuck stream or a pipe a daemon keeps open.
     */
    @Override
    public void close() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        beginClose(deadline);
        awaitStop(deadline);
    }

    void beginClose(long deadlineNanos) {
        out.beginClose(deadlineNanos);
        err.beginClose(deadlineNanos);
    }

    void awaitStop(long deadlineNanos) {
        out.awaitStop(deadlineNanos);
        err.awaitStop(deadlineNanos);
    }
}
