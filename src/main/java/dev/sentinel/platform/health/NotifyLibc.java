package dev.sentinel.platform.health;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * The libc calls a notify socket needs ({@code socket}, {@code setsockopt}, {@code bind},
 * {@code recvmsg}, {@code poll}, {@code eventfd}, {@code read}, {@code write}, {@code close}), bound
 * through JNA as {@code dev.sentinel.platform.Libc} binds its own. The JDK's datagram channels (and
 * junixsocket's) do not give the {@code SCM_CREDENTIALS} of each datagram, which is what tells
 * Sentinel which process spoke.
 *
 * <p>64-bit Linux only: the flag values and the layouts of {@code struct msghdr} and
 * {@code struct cmsghdr} below are those of the LP64 architectures in {@link #ARCHITECTURES}
 * (PowerPC numbers {@code SO_PASSCRED} 20; alpha, MIPS, PA-RISC and SPARC number
 * {@code SOL_SOCKET} otherwise; 32-bit machines have 4-byte {@code size_t} fields).
 */
final class NotifyLibc {

    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_PASSCRED = 16;
    static final int SCM_RIGHTS = 1;
    static final int SCM_CREDENTIALS = 2;
    static final int MSG_CTRUNC = 0x8;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_CMSG_CLOEXEC = 0x40000000;

    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int ENOTDIR = 20;
    static final int ENFILE = 23;
    static final int EMFILE = 24;
    static final int EROFS = 30;
    static final int ENAMETOOLONG = 36;
    static final int ELOOP = 40;
    static final int EADDRINUSE = 98;

    static final short POLLNVAL = 0x20;

    /** {@code struct sockaddr_un}: sa_family_t sun_family, then char sun_path[108]. */
    static final int SUN_PATH_OFFSET = 2;
    static final int SUN_PATH_BYTES = 108;
    /** The longest name: a path needs its terminating NUL, an abstract name its leading one. */
    static final int MAX_NAME_BYTES = SUN_PATH_BYTES - 1;

    /**
     * {@code struct msghdr} on LP64: void *msg_name; socklen_t msg_namelen (padded to 8);
     * struct iovec *msg_iov; size_t msg_iovlen; void *msg_control; size_t msg_controllen; int
     * msg_flags (padded to 8).
     */
    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = 8;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    static final int MSG_CONTROL = 32;
    static final int MSG_CONTROLLEN = 40;
    static final int MSG_FLAGS = 48;
    static final int MSGHDR_BYTES = 56;
    /** {@code struct iovec}: void *iov_base; size_t iov_len. */
    static final int IOVEC_BYTES = 16;
    /** {@code struct cmsghdr}: size_t cmsg_len; int cmsg_level; int cmsg_type; data aligned to 8. */
    static final int CMSG_LEVEL = 8;
    static final int CMSG_TYPE = 12;
    static final int CMSG_HEADER_BYTES = 16;
    static final int CMSG_ALIGN = 8;

    /** os.arch values of 64-bit Linux machines with the generic numbering and layouts above. */
    static final Set<String> ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64", "riscv64", "s390x",
            "loongarch64");

    interface CLib extends Library {
        int socket(int domain, int type, int protocol);

        int setsockopt(int fd, int level, int name, int[] value, int length);

        int bind(int fd, byte[] address, int length);

        NativeLong recvmsg(int fd, Pointer message, int flags);

        int eventfd(int initval, int flags);

        int poll(ByteBuffer fds, NativeLong nfds, int timeout);

        NativeLong read(int fd, long[] buf, NativeLong count);

        NativeLong write(int fd, long[] buf, NativeLong count);

        int close(int fd);
    }

    private final CLib lib;

    private NotifyLibc(CLib lib) {
        this.lib = lib;
    }

    /** The calls, or an IOException saying why this machine cannot have notify sockets. */
    static NotifyLibc load() throws IOException {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!os.equals("Linux") || !ARCHITECTURES.contains(arch)) {
            throw new IOException("notify sockets need 64-bit Linux on x86, ARM, RISC-V, s390x or LoongArch, "
                    + "not " + os + " on " + arch + ".");
        }
        try {
            if (Native.POINTER_SIZE != 8 || Native.SIZE_T_SIZE != 8) {
                throw new IOException("notify sockets need a 64-bit JVM.");
            }
            return new NotifyLibc(Native.load("c", CLib.class));
        } catch (LinkageError | RuntimeException e) {
            throw new IOException("notify sockets cannot be used: libc does not load through JNA (" + e + ").", e);
        }
    }

    /**
     * The {@code struct sockaddr_un} of {@code address}, exactly as long as bind and sendto are to
     * be told: a path ends with its NUL; {@code @name} becomes a 0 byte and the name, with no
     * trailing NUL (as sd_notify sends to it: the abstract name is every byte of that length).
     */
    static byte[] socketAddress(String address) throws IOException {
        if (address.isEmpty()) {
            throw new IOException("a notify socket address cannot be empty.");
        }
        if (address.indexOf('\0') >= 0) {
            throw new IOException("notify socket address '" + printable(address) + "' contains a NUL character.");
        }
        boolean isAbstract = address.charAt(0) == '@';
        if (!isAbstract && address.charAt(0) != '/') {
            // A relative path would be looked up from Sentinel's directory when bound and from the
            // program's when sent to; systemd refuses it too.
            throw new IOException("notify socket address '" + address + "' is neither an absolute path nor @name.");
        }
        byte[] name = (isAbstract ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
        if (isAbstract && name.length == 0) {
            throw new IOException("the abstract notify socket address '@' has no name after the @.");
        }
        if (name.length > MAX_NAME_BYTES) {
            throw new IOException("notify socket address '" + address + "' is too long: " + name.length
                    + " bytes where a socket address holds at most " + MAX_NAME_BYTES + ".");
        }
        int length = SUN_PATH_OFFSET + 1 + name.length;
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        if (isAbstract) {
            b.put((byte) 0).put(name);
        } else {
            b.put(name).put((byte) 0);
        }
        return b.array();
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }

    /** A non-blocking, close-on-exec datagram socket, or -1 with {@link #errno()} set. */
    int datagramSocket() {
        return lib.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    }

    /** {@code SO_PASSCRED}: the kernel attaches the sender's credentials to every datagram. */
    int passCredentials(int fd) {
        return lib.setsockopt(fd, SOL_SOCKET, SO_PASSCRED, new int[] {1}, Integer.BYTES);
    }

    int bind(int fd, byte[] socketAddress) {
        return lib.bind(fd, socketAddress, socketAddress.length);
    }

    /** {@code recvmsg(2)}: the datagram's length (its whole length with MSG_TRUNC), or -1 with errno set. */
    long recvmsg(int fd, Pointer message, int flags) {
        return lib.recvmsg(fd, message, flags).longValue();
    }

    /** A non-blocking, close-on-exec eventfd at 0, or -1 with errno set. */
    int eventFd() {
        return lib.eventfd(0, SOCK_CLOEXEC | SOCK_NONBLOCK);
    }

    /** {@code poll(2)} over the first {@code count} entries of {@code fds}; -1 waits for ever. */
    int poll(ByteBuffer fds, int count, int timeoutMillis) {
        return lib.poll(fds, new NativeLong(count), timeoutMillis);
    }

    /** Adds 1 to an eventfd's counter. */
    int signal(int eventFd) {
        return lib.write(eventFd, new long[] {1}, new NativeLong(Long.BYTES)).intValue();
    }

    /** Takes an eventfd's counter back to 0. */
    int reset(int eventFd) {
        return lib.read(eventFd, new long[1], new NativeLong(Long.BYTES)).intValue();
    }

    int close(int fd) {
        return lib.close(fd);
    }

    /** The errno of this thread's last call through JNA. */
    static int errno() {
        return Native.getLastError();
    }

    /** A few words for the errors open can meet. */
    static String describe(int errno) {
        return switch (errno) {
            case ENOENT -> "its directory does not exist";
            case ENOTDIR -> "a part of its path is not a directory";
            case EACCES, EPERM -> "permission denied";
            case EROFS -> "the file system is read-only";
            case ELOOP -> "its path has too many symbolic links";
            case ENAMETOOLONG -> "a name in its path is too long";
            case EADDRINUSE -> "the address is in use";
            case EMFILE -> "Sentinel has too many open files";
            case ENFILE -> "the system has too many open files";
            default -> "errno " + errno;
        };
    }
}
