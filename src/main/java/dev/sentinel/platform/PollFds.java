package dev.sentinel.platform;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An array of {@code struct pollfd} (int fd, short events, short revents) in direct memory, for a
 * thread that waits in {@code poll(2)} over many fds: entry 0 is its wake-up fd, the others are
 * what it reads. It grows by doubling and is reused between waits, so a wait allocates nothing.
 * One thread's only.
 */
public final class PollFds {

    public static final short POLLIN = 0x1;
    private static final int BYTES = 8;

    private ByteBuffer fds = ByteBuffer.allocateDirect(16 * BYTES).order(ByteOrder.nativeOrder());

    /** Makes room for {@code count} entries (keeping none of the old ones). */
    public void ensure(int count) {
        int bytes = count * BYTES;
        if (fds.capacity() < bytes) {
            fds = ByteBuffer.allocateDirect(Math.max(bytes, 2 * fds.capacity())).order(ByteOrder.nativeOrder());
        }
    }

    /** Entry {@code index} waits for {@code fd} to be readable. */
    public void set(int index, int fd) {
        int at = index * BYTES;
        fds.putInt(at, fd);
        fds.putShort(at + 4, POLLIN);
        fds.putShort(at + 6, (short) 0);
    }

    /** What poll said of entry {@code index}. */
    public short revents(int index) {
        return fds.getShort(index * BYTES + 6);
    }

    /** The array, for {@code poll(2)}. */
    public ByteBuffer buffer() {
        return fds;
    }
}
