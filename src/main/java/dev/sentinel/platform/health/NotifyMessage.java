package dev.sentinel.platform.health;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.function.IntConsumer;

/**
 * The receiving thread's {@code recvmsg(2)} buffer, allocated once: a {@code struct msghdr}, its
 * one {@code iovec}, the control buffer and the payload buffer, side by side in native memory.
 * After each {@link #receive} it tells the datagram's length, the sender's credentials and whether
 * the kernel cut anything off. Not thread-safe: the receiving thread's own.
 */
final class NotifyMessage {

    /** The largest payload taken; a longer datagram is dropped (systemd takes no more either). */
    static final int MAX_TEXT_BYTES = 4096;
    /** {@code struct ucred}: int pid, uid_t uid, gid_t gid. */
    static final int UCRED_BYTES = 12;
    /** The most fds one datagram can carry ({@code SCM_MAX_FD}); the kernel merges SCM_RIGHTS cmsgs. */
    static final int MAX_FDS = 253;
    /**
     * Room for the credentials and for all the fds a sender may pass, so they are always received
     * and closed here. (Fds that do not fit are closed by the kernel and flag MSG_CTRUNC.)
     */
    static final int CONTROL_BYTES = space(UCRED_BYTES) + space(MAX_FDS * Integer.BYTES);

    private static final int IOV_AT = NotifyLibc.MSGHDR_BYTES;
    private static final int CONTROL_AT = IOV_AT + NotifyLibc.IOVEC_BYTES;
    private static final int DATA_AT = CONTROL_AT + CONTROL_BYTES;

    private final NotifyLibc lib;
    private final Memory memory = new Memory(DATA_AT + MAX_TEXT_BYTES);
    private final byte[] bytes = new byte[MAX_TEXT_BYTES];

    private long length;
    private int flags;
    private final Credentials credentials = new Credentials();

    /** What the control data said, and the fds it carried (closed as they are seen). */
    static final class Credentials {
        long pid;
        long uid = -1;
        int fds;

        void clear() {
            pid = 0;
            uid = -1;
            fds = 0;
        }
    }

    NotifyMessage(NotifyLibc lib) {
        this.lib = lib;
        memory.clear();
        memory.setPointer(NotifyLibc.MSG_IOV, memory.share(IOV_AT));
        memory.setLong(NotifyLibc.MSG_IOVLEN, 1);
        memory.setPointer(NotifyLibc.MSG_CONTROL, memory.share(CONTROL_AT));
        memory.setPointer(IOV_AT, memory.share(DATA_AT));
        memory.setLong(IOV_AT + 8, MAX_TEXT_BYTES);
    }

    /** {@code CMSG_SPACE(n)}: a cmsg header and n bytes of data, aligned. */
    static int space(int n) {
        return (int) (align(NotifyLibc.CMSG_HEADER_BYTES) + align(n));
    }

    private static long align(long n) {
        return (n + NotifyLibc.CMSG_ALIGN - 1) & -NotifyLibc.CMSG_ALIGN;
    }

    /**
     * Takes one datagram from {@code fd} without waiting: its whole length (also when longer than the
     * buffer: MSG_TRUNC asks for that), or -1 with errno set. Any fds it carried are closed already.
     */
    long receive(int fd) {
        // The kernel writes back these three; the pointers stay.
        memory.setInt(NotifyLibc.MSG_NAMELEN, 0);
        memory.setLong(NotifyLibc.MSG_CONTROLLEN, CONTROL_BYTES);
        memory.setInt(NotifyLibc.MSG_FLAGS, 0);
        long n = lib.recvmsg(fd, memory,
                NotifyLibc.MSG_DONTWAIT | NotifyLibc.MSG_TRUNC | NotifyLibc.MSG_CMSG_CLOEXEC);
        if (n < 0) {
            return n;
        }
        length = n;
        flags = memory.getInt(NotifyLibc.MSG_FLAGS);
        long control = Math.min(memory.getLong(NotifyLibc.MSG_CONTROLLEN), CONTROL_BYTES);
        parseControl(memory.share(CONTROL_AT), control, credentials, lib::close);
        return n;
    }

    /** Why the last datagram cannot be taken, or null when it can. */
    String rejection() {
        if ((flags & NotifyLibc.MSG_TRUNC) != 0 || length > MAX_TEXT_BYTES) {
            return "it is " + length + " bytes long, over the " + MAX_TEXT_BYTES + " taken";
        }
        if ((flags & NotifyLibc.MSG_CTRUNC) != 0) {
            return "its control data was cut off, so its sender is not known for sure";
        }
        return null;
    }

    /** The sender's pid, or 0 when the kernel gave no credentials (or the sender is in no pid namespace of ours). */
    long pid() {
        return credentials.pid;
    }

    /** The sender's uid, or -1 when the kernel gave no credentials. */
    long uid() {
        return credentials.uid;
    }

    /** How many fds the last datagram carried (all closed). */
    int fds() {
        return credentials.fds;
    }

    /** The payload as UTF-8; malformed bytes become U+FFFD, NULs stay. */
    String text() {
        int n = (int) Math.min(length, MAX_TEXT_BYTES);
        memory.read(DATA_AT, bytes, 0, n);
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    /**
     * Walks the cmsgs in the first {@code length} bytes of {@code control} as CMSG_FIRSTHDR and
     * CMSG_NXTHDR do: takes SCM_CREDENTIALS into {@code into} and hands every SCM_RIGHTS fd to
     * {@code closeFd}, for the kernel has already installed them in this process. Never reads past
     * {@code length}, whatever the cmsg_len fields say.
     */
    static void parseControl(Pointer control, long length, Credentials into, IntConsumer closeFd) {
        into.clear();
        long at = 0;
        while (at + NotifyLibc.CMSG_HEADER_BYTES <= length) {
            long cmsgLength = control.getLong(at);
            if (cmsgLength < NotifyLibc.CMSG_HEADER_BYTES) {
                break;
            }
            long dataBytes = Math.min(cmsgLength, length - at) - NotifyLibc.CMSG_HEADER_BYTES;
            int level = control.getInt(at + NotifyLibc.CMSG_LEVEL);
            int type = control.getInt(at + NotifyLibc.CMSG_TYPE);
            long data = at + NotifyLibc.CMSG_HEADER_BYTES;
            if (level == NotifyLibc.SOL_SOCKET && type == NotifyLibc.SCM_CREDENTIALS && dataBytes >= UCRED_BYTES) {
                into.pid = control.getInt(data);
                into.uid = Integer.toUnsignedLong(control.getInt(data + 4));
            } else if (level == NotifyLibc.SOL_SOCKET && type == NotifyLibc.SCM_RIGHTS) {
                for (long i = 0; i + Integer.BYTES <= dataBytes; i += Integer.BYTES) {
                    closeFd.accept(control.getInt(data + i));
                    into.fds++;
                }
            }
            // The last cmsg, or a cmsg_len so large it would wrap: the walk ends.
            long next = align(cmsgLength);
            if (next <= 0 || next > length - at) {
                break;
            }
            at += next;
        }
    }
}
