package dev.sentinel.platform.health;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Sends datagrams to a notify socket from the test JVM itself, through libc (sendto, and sendmsg
 * for passing fds), so that the pid the receiver sees is known: this JVM's. One unbound socket;
 * blocking unless told otherwise, so a flood waits for the receiver rather than losing datagrams.
 */
final class NotifyTestSender implements AutoCloseable {

    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;

    interface CLib extends Library {
        int socket(int domain, int type, int protocol);

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] address, int addressLength);

        NativeLong sendmsg(int fd, Pointer message, int flags);

        int open(String path, int flags);

        int close(int fd);
    }

    static final CLib LIB = Native.load("c", CLib.class);

    private final int fd;

    NotifyTestSender() throws IOException {
        fd = LIB.socket(NotifyLibc.AF_UNIX, NotifyLibc.SOCK_DGRAM | NotifyLibc.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw new IOException("socket: errno " + Native.getLastError());
        }
    }

    /** Sends {@code text} as UTF-8; throws on failure. */
    void send(String address, String text) throws IOException {
        send(address, text.getBytes(StandardCharsets.UTF_8), 0);
    }

    void send(String address, byte[] payload, int flags) throws IOException {
        byte[] to = NotifyLibc.socketAddress(address);
        long n = LIB.sendto(fd, payload, new NativeLong(payload.length), flags, to, to.length).longValue();
        if (n != payload.length) {
            throw new IOException("sendto " + address + ": " + n + ", errno " + Native.getLastError());
        }
    }

    /** Sends {@code text} with {@code fds} as SCM_RIGHTS, by sendmsg. */
    void sendWithFds(String address, String text, int[] fds) throws IOException {
        byte[] to = NotifyLibc.socketAddress(address);
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int controlBytes = NotifyMessage.space(fds.length * Integer.BYTES);
        Memory name = new Memory(to.length);
        name.write(0, to, 0, to.length);
        Memory data = new Memory(Math.max(1, payload.length));
        data.write(0, payload, 0, payload.length);
        Memory iov = new Memory(NotifyLibc.IOVEC_BYTES);
        iov.setPointer(0, data);
        iov.setLong(8, payload.length);
        Memory control = new Memory(controlBytes);
        control.clear();
        control.setLong(0, NotifyLibc.CMSG_HEADER_BYTES + (long) fds.length * Integer.BYTES);
        control.setInt(NotifyLibc.CMSG_LEVEL, NotifyLibc.SOL_SOCKET);
        control.setInt(NotifyLibc.CMSG_TYPE, NotifyLibc.SCM_RIGHTS);
        for (int i = 0; i < fds.length; i++) {
            control.setInt(NotifyLibc.CMSG_HEADER_BYTES + (long) i * Integer.BYTES, fds[i]);
        }
        Memory msg = new Memory(NotifyLibc.MSGHDR_BYTES);
        msg.clear();
        msg.setPointer(NotifyLibc.MSG_NAME, name);
        msg.setInt(NotifyLibc.MSG_NAMELEN, to.length);
        msg.setPointer(NotifyLibc.MSG_IOV, iov);
        msg.setLong(NotifyLibc.MSG_IOVLEN, 1);
        msg.setPointer(NotifyLibc.MSG_CONTROL, control);
        msg.setLong(NotifyLibc.MSG_CONTROLLEN, controlBytes);
        long n = LIB.sendmsg(fd, msg, 0).longValue();
        if (n != payload.length) {
            throw new IOException("sendmsg " + address + ": " + n + ", errno " + Native.getLastError());
        }
    }

    /** A new fd on /dev/null, for passing. */
    static int openDevNull() throws IOException {
        int fd = LIB.open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("open /dev/null: errno " + Native.getLastError());
        }
        return fd;
    }

    static void closeFd(int fd) {
        LIB.close(fd);
    }

    @Override
    public void close() {
        LIB.close(fd);
    }
}
