package dev.sentinel.platform;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;

/**
 * The libc calls the poll reader needs ({@code pipe2}, {@code fcntl}, {@code eventfd},
 * {@code poll}, {@code read}, {@code write}, {@code close}), bound through JNA as {@link Libc}
 * binds its own. Linux only: the flag values below are those of the architectures listed in
 * {@link #ARCHITECTURES} (alpha, MIPS, PA-RISC and SPARC number them differently), and
 * {@code eventfd} and {@code pipe2} are Linux calls. Anywhere else {@link #load()} gives null and
 * the launcher reads output with a thread per pipe instead.
 *
 * <p>Buffers passed to {@code poll} and {@code read} are direct, read from position 0, so no call
 * copies them.
 */
final class LinuxPipes {

    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final short POLLIN = 0x1;
    static final short POLLERR = 0x8;
    static final short POLLHUP = 0x10;
    static final short POLLNVAL = 0x20;
    /** {@code struct pollfd}: int fd, short events, short revents. */
    static final int POLLFD_BYTES = 8;

    /** os.arch values with the generic Linux numbering of the flags above. */
    static final Set<String> ARCHITECTURES = Set.of("amd64", "x86_64", "x86", "i386", "i686", "aarch64", "arm",
            "riscv64", "ppc64le", "ppc64", "s390x", "loongarch64");

    interface CLib extends Library {
        int pipe2(int[] fds, int flags);

        int fcntl(int fd, int cmd, int arg);

        int eventfd(int initval, int flags);

        int poll(ByteBuffer fds, NativeLong nfds, int timeout);

        NativeLong read(int fd, ByteBuffer buf, NativeLong count);

        NativeLong write(int fd, long[] buf, NativeLong count);

        int close(int fd);
    }

    private final CLib lib;

    private LinuxPipes(CLib lib) {
        this.lib = lib;
    }

    /**
     * The calls, tried once (a pipe made, set non-blocking and closed); null where they cannot be
     * used: not Linux, an architecture that numbers the flags otherwise, JNA not loading, or no
     * {@code /proc/self/fd} to hand a pipe to a child through.
     */
    static LinuxPipes load() {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.equals("Linux") || !ARCHITECTURES.contains(arch)) {
            return null;
        }
        try {
            LinuxPipes p = new LinuxPipes(Native.load("c", CLib.class));
            int[] fds = p.pipe();
            try {
                p.nonBlocking(fds[0]);
                if (!java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/fd/" + fds[1]))) {
                    return null;
                }
            } finally {
                p.close(fds[0]);
                p.close(fds[1]);
            }
            return p;
        } catch (LinkageError | RuntimeException | java.io.IOException e) {
            // No JNA native library for this platform, no such symbol, or the calls fail.
            return null;
        }
    }

    /** {@code pipe2(O_CLOEXEC)}: {read end, write end}. */
    int[] pipe() throws java.io.IOException {
        int[] fds = new int[2];
        if (lib.pipe2(fds, O_CLOEXEC) != 0) {
            throw new java.io.IOException("cannot make a pipe: " + errno());
        }
        return fds;
    }

    /** Puts {@code fd} in non-blocking mode (its open file description: only this end of the pipe). */
    void nonBlocking(int fd) throws java.io.IOException {
        int flags = lib.fcntl(fd, F_GETFL, 0);
        if (flags < 0 || lib.fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
            throw new java.io.IOException("cannot make a pipe non-blocking: " + errno());
        }
    }

    /** A non-blocking, close-on-exec eventfd at 0. */
    int eventFd() throws java.io.IOException {
        int fd = lib.eventfd(0, O_CLOEXEC | O_NONBLOCK);
        if (fd < 0) {
            throw new java.io.IOException("cannot make an eventfd: " + errno());
        }
        return fd;
    }

    /** {@code poll(2)} over the first {@code count} entries of {@code fds}; -1 means wait for ever. */
    int poll(ByteBuffer fds, int count, int timeoutMillis) {
        return lib.poll(fds, new NativeLong(count), timeoutMillis);
    }

    /** {@code read(2)} into {@code buf} from its start: bytes read, 0 at the end, -1 with {@link #errno()} set. */
    int read(int fd, ByteBuffer buf, int count) {
        return lib.read(fd, buf, new NativeLong(count)).intValue();
    }

    /** Adds {@code value} to an eventfd's counter. */
    int addToEventFd(int fd, long value) {
        return lib.write(fd, new long[] {value}, new NativeLong(Long.BYTES)).intValue();
    }

    int close(int fd) {
        return lib.close(fd);
    }

    /** The errno of this thread's last call through JNA. */
    static int errno() {
        return Native.getLastError();
    }
}
