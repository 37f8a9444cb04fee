package dev.sentinel.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/** Real clients for the control socket: the JDK's own Unix socket channels, and junixsocket's sockets. */
final class Clients {

    static final Duration REPLY = Duration.ofSeconds(10);

    private Clients() {
    }

    /** Sends {@code line} and a newline with a JDK SocketChannel; returns everything until the server closes. */
    static String ask(Path socket, String line) throws IOException {
        return ask(socket, (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static String ask(Path socket, byte[] request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer b = ByteBuffer.wrap(request);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            return readToEnd(ch, REPLY);
        }
    }

    /** Sends {@code line} with a junixsocket client socket; returns everything until the server closes. */
    static String askJunixsocket(Path socket, String line) throws IOException {
        try (AFUNIXSocket s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(socket))) {
            s.setSoTimeout((int) REPLY.toMillis());
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Reads from a connected channel until the server closes it; fails after {@code timeout}. */
    static String readToEnd(SocketChannel ch, Duration timeout) throws IOException {
        ch.configureBlocking(false);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Selector selector = Selector.open()) {
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("the server did not close within " + timeout.toMillis() + " ms; got so far: "
                            + got.toString(StandardCharsets.UTF_8));
                }
                selector.select(Math.max(1, left / 1_000_000));
                selector.selectedKeys().clear();
                buf.clear();
                int n;
                try {
                    n = ch.read(buf);
                } catch (IOException e) {
                    // A reset after the reply still counts as the end; what was read is the reply.
                    return got.toString(StandardCharsets.UTF_8);
                }
                if (n < 0) {
                    return got.toString(StandardCharsets.UTF_8);
                }
                got.write(buf.array(), 0, n);
            }
        }
    }

    /** Reads one line (without its newline) from a connected channel; fails after {@code timeout}. */
    static String readLine(SocketChannel ch, Duration timeout) throws IOException {
        ch.configureBlocking(false);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Selector selector = Selector.open()) {
            ch.register(selector, SelectionKey.OP_READ);
            ByteBuffer one = ByteBuffer.allocate(1);
            while (true) {
                one.clear();
                int n = ch.read(one);
                if (n < 0) {
                    throw new AssertionError("the server closed before a whole line; got: "
                            + got.toString(StandardCharsets.UTF_8));
                }
                if (n == 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("no line within " + timeout.toMillis() + " ms; got: "
                                + got.toString(StandardCharsets.UTF_8));
                    }
                    selector.select(Math.max(1, left / 1_000_000));
                    selector.selectedKeys().clear();
                    continue;
                }
                if (one.get(0) == '\n') {
                    return got.toString(StandardCharsets.UTF_8);
                }
                got.write(one.get(0));
            }
        }
    }
}
