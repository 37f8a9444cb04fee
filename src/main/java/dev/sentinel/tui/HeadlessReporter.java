package dev.sentinel.tui;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventSink;
import dev.sentinel.time.TimeOfDay;
import java.io.PrintStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes lifecycle lines to stderr, one per event: {@code 16:50:01.123 sentinel[leaker]: started
 * pid 1234 (limit 512 MiB, grace 3s)}. Writing happens on its own thread, because stderr may be a
 * pipe nobody reads and the supervisor loop must never block on it.
 */
public final class HeadlessReporter implements EventSink, AutoCloseable {

    private static final String END = new String("end");

    private final PrintStream out;
    private final TimeOfDay clock;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(10_000);
    private final Thread writer;

    public HeadlessReporter(PrintStream out, TimeOfDay clock) {
        this.out = out;
        this.clock = clock;
        this.writer = new Thread(this::drain, "headless-reporter");
        writer.setDaemon(true);
    }

    /**
     * Starts writing. Lines emitted before this wait in order, so a caller can queue older lines
     * and make the reporter visible to other threads before the first line appears.
     */
    public HeadlessReporter start() {
        writer.start();
        return this;
    }

    /** Formats an event as one lifecycle line. */
    public String format(Event e) {
        return clock.format(e.epochMillis()) + " sentinel[" + e.program() + "]: "
                + e.message();
    }

    @Override
    public void emit(Event event) {
        // A full queue means stderr has been stuck for 10,000 lines: dropping is better than blocking.
        lines.offer(format(event));
    }

    /** Writes a line that is not an event (start-up notes) in order with the events. */
    public void note(String line) {
        lines.offer(line);
    }

    private void drain() {
        try {
            while (true) {
                String line = lines.take();
                if (line == END) {
                    return;
                }
                out.println(line);
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes what is queued (waiting at most a second) and stops the writer. */
    @Override
    public void close() {
        lines.offer(END);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
