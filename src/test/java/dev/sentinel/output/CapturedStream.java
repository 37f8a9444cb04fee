package dev.sentinel.output;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * What Sentinel's stdout or stderr would show, kept in memory. Stuck, a write blocks until
 * {@link #unstick()}: a terminal nobody scrolls, a pipe nobody reads.
 */
final class CapturedStream extends OutputStream {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CountDownLatch open;
    private final CountDownLatch blocked = new CountDownLatch(1);
    final PrintStream print = new PrintStream(this, true, StandardCharsets.UTF_8);

    private CapturedStream(boolean open) {
        this.open = new CountDownLatch(open ? 0 : 1);
    }

    static CapturedStream flowing() {
        return new CapturedStream(true);
    }

    /** Every write blocks until {@link #unstick()}. */
    static CapturedStream stuck() {
        return new CapturedStream(false);
    }

    void unstick() {
        open.countDown();
    }

    /** Whether a write has come and is waiting. */
    boolean blocked() {
        return blocked.getCount() == 0;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (open.getCount() > 0) {
            blocked.countDown();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        synchronized (bytes) {
            bytes.write(b, off, len);
        }
    }

    String text() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** The complete lines so far. */
    List<String> lines() {
        String t = text();
        int end = t.lastIndexOf('\n');
        return end < 0 ? List.of() : Arrays.asList(t.substring(0, end).split("\n", -1));
    }
}
