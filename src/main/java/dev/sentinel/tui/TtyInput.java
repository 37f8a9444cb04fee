package dev.sentinel.tui;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The terminal's key bytes, read by a thread of their own that blocks in {@code read} and hands
 * them over through a buffer. Lanterna only polls for keys; polling the terminal itself is two
 * system calls (fstat and FIONREAD) each time, and a dashboard that polls 20 times a second to
 * answer keys at once spends more on polling than on drawing. Here a poll reads the buffer, and
 * the listener is told when bytes arrive, so the dashboard thread can sleep until there is
 * something to do.
 *
 * <p>The reading thread is a daemon: it ends with the JVM, or when the terminal reports end of
 * input or an error (then reads here see end of input too).
 */
final class TtyInput extends InputStream {

    private static final int CHUNK = 256;
    private static final int MAX_BUFFERED = 64 * 1024;

    private final InputStream tty;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private byte[] buffer = new byte[CHUNK];
    private int start;
    private int end;
    private boolean ended;
    private volatile Runnable listener = () -> { };

    TtyInput(InputStream tty) {
        this.tty = tty;
    }

    /** Starts the reading thread. */
    TtyInput start() {
        Thread t = new Thread(this::pump, "sentinel-keys");
        t.setDaemon(true);
        t.start();
        return this;
    }

    /** {@code listener} runs on the reading thread whenever bytes (or the end of input) arrive; it must not block. */
    void onInput(Runnable listener) {
        this.listener = listener;
    }

    private void pump() {
        byte[] chunk = new byte[CHUNK];
        try {
            while (true) {
                int n = tty.read(chunk);
                if (n < 0) {
                    break;
                }
                append(chunk, n);
                listener.run();
            }
        } catch (IOException | RuntimeException e) {
            // The terminal is gone (hung up, closed): for the reader, the input has ended.
        }
        lock.lock();
        try {
            ended = true;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        listener.run();
    }

    private void append(byte[] chunk, int n) {
        lock.lock();
        try {
            if (end - start + n > MAX_BUFFERED) {
                // Nobody reads keys any more (the dashboard stopped): keep the newest ones.
                start = end;
            }
            if (end + n > buffer.length) {
                int kept = end - start;
                byte[] next = kept + n > buffer.length ? new byte[Math.max(buffer.length * 2, kept + n)] : buffer;
                System.arraycopy(buffer, start, next, 0, kept);
                buffer = next;
                start = 0;
                end = kept;
            }
            System.arraycopy(chunk, 0, buffer, end, n);
            end += n;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            return end - start;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (start == end && !ended) {
                arrived.await();
            }
            if (start == end) {
                return -1;
            }
            int n = Math.min(len, end - start);
            System.arraycopy(buffer, start, b, off, n);
            start += n;
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for a key");
        } finally {
            lock.unlock();
        }
    }

    /** Closes the terminal's input; the reading thread ends if the system lets a close end its read. */
    @Override
    public void close() throws IOException {
        tty.close();
    }
}
