package dev.sentinel.platform;

import dev.sentinel.time.Timestamps;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The few libc calls the JDK does not offer, bound through JNA (already on the class path
 * for OSHI). Spawning {@code /bin/kill} would cost milliseconds per signal, which a memory
 * kill cannot afford.
 */
public final class Libc {

    interface CLib extends Library {
        int kill(int pid, int sig);

        int getpagesize();

        int isatty(int fd);

        Pointer localtime_r(long[] time, int[] tm);

        long syscall(long number, Object... args);

        int close(int fd);

        int poll(ByteBuffer fds, NativeLong nfds, int timeout);
    }

    /** The generic syscall table's numbers, the same on every architecture since Linux 5.1/5.3. */
    private static final long SYS_PIDFD_SEND_SIGNAL = 424;
    private static final long SYS_PIDFD_OPEN = 434;
    /** errno: no such process. */
    static final int ESRCH = 3;

    private final CLib lib;

    /** Loads JNA's native library now (it is otherwise loaded by the first {@code new Libc()}). */
    public static void loadNativeLibrary() {
        Native.getDefaultStringEncoding();
    }

    public Libc() {
        this.lib = Native.load("c", CLib.class);
    }

    /** {@code kill(2)}: returns 0 on success, -1 on failure (no such process, no permission). */
    public int kill(int pid, int signal) {
        return lib.kill(pid, signal);
    }

    /**
     * {@code pidfd_open(2)} (Linux 5.3+): a descriptor that stands for this very process, whatever
     * becomes of its pid; -errno on failure ({@code -ESRCH}: gone; {@code -ENOSYS}: an older kernel).
     */
    public int pidfdOpen(long pid) {
        long fd = lib.syscall(SYS_PIDFD_OPEN, (int) pid, 0);
        return fd >= 0 ? (int) fd : -Native.getLastError();
    }

    /** {@code pidfd_send_signal(2)}: 0 on success, -errno on failure ({@code -ESRCH}: it exited). */
    public int pidfdSendSignal(int pidfd, int signal) {
        long r = lib.syscall(SYS_PIDFD_SEND_SIGNAL, pidfd, signal, 0L, 0);
        return r == 0 ? 0 : -Native.getLastError();
    }

    public void close(int fd) {
        lib.close(fd);
    }

    /** Waits at most {@code timeoutMillis} for {@code fd} to become readable (a pidfd: its process ended). */
    public void awaitReadable(int fd, int timeoutMillis) {
        ByteBuffer fds = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        fds.putInt(0, fd);
        fds.putShort(4, (short) 1); // POLLIN
        fds.putShort(6, (short) 0);
        lib.poll(fds, new NativeLong(1), timeoutMillis);
    }

    /** Whether file descriptor {@code fd} (1 = stdout) is a terminal. */
    public boolean isTerminal(int fd) {
        return lib.isatty(fd) == 1;
    }

    /**
     * Seconds east of UTC at {@code epochSecond} in the local zone, by {@code localtime_r(3)} (which
     * follows {@code TZ} and {@code /etc/localtime}, as the JDK does); or
     * {@link Integer#MIN_VALUE} if libc cannot tell. Worked out from the broken-down local time (the
     * first six fields of struct tm, the same in every libc) rather than read from
     * {@code tm_gmtoff}, whose place in the struct differs between 32- and 64-bit builds.
     */
    public int utcOffsetSeconds(long epochSecond) {
        // Room for any struct tm (56 bytes in glibc and musl); the six fields used come first.
        int[] tm = new int[16];
        if (lib.localtime_r(new long[] {epochSecond}, tm) == null) {
            return Integer.MIN_VALUE;
        }
        long days = Timestamps.daysFromCivil(tm[5] + 1900L, tm[4] + 1, tm[3]);
        long local = days * 86_400L + tm[2] * 3600L + tm[1] * 60L + Math.min(tm[0], 59);
        return (int) (local - epochSecond);
    }

    public int pageSize() {
        return lib.getpagesize();
    }
}
