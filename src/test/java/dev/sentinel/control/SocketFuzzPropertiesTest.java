package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The control socket of a real Sentinel under random requests: any bytes, split into random
 * writes, with or without a newline, with the write side closed or not. Each connection gets a
 * reply of whole lines and is closed by Sentinel; after every request a second client still gets
 * the program's status, and the guarded program is never touched (orders are left out on purpose:
 * a random {@code stop} would be obeyed, as it should).
 */
class SocketFuzzPropertiesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern PID = Pattern.compile("^sleep pid=(\\d+) state=RUNNING ");

    private static Path dir;
    private static Path socket;
    private static RunningProcess sentinel;
    private static String pid;

    @BeforeContainer
    static void startSentinel() throws IOException {
        dir = Files.createTempDirectory("socket-fuzz");
        socket = dir.resolve("s.sock");
        sentinel = RunningProcess.start(JavaPrograms.sentinel("--socket", socket.toString(), "--no-metrics",
                "--no-tui", "-m", "1G", "--", "sleep", "600"));
        Await.until(WAIT, () -> "Sentinel to answer; stderr: " + sentinel.stderr(), () -> status() != null);
        pid = status();
    }

    @AfterContainer
    static void stopSentinel() throws IOException {
        if (sentinel != null) {
            sentinel.signal("TERM");
            sentinel.awaitExit(WAIT);
            sentinel.close();
        }
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }

    /** The guarded program's pid from a status reply, null if there is none yet. */
    private static String status() {
        try {
            String reply = request("status\n".getBytes(StandardCharsets.US_ASCII), List.of(), true);
            Matcher m = PID.matcher(reply);
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Writes {@code bytes} in pieces of the given sizes, then reads until Sentinel closes. */
    private static String request(byte[] bytes, List<Integer> pieces, boolean shutOutput) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            try {
                int at = 0;
                for (int size : pieces) {
                    if (at >= bytes.length) {
                        break;
                    }
                    int n = Math.min(size, bytes.length - at);
                    c.write(ByteBuffer.wrap(bytes, at, n));
                    at += n;
                }
                if (at < bytes.length) {
                    c.write(ByteBuffer.wrap(bytes, at, bytes.length - at));
                }
                if (shutOutput) {
                    c.shutdownOutput();
                }
            } catch (IOException e) {
                // Sentinel answered a line too long and hung up while the rest was being written:
                // the answer is still there to read.
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            long deadline = System.nanoTime() + WAIT.toNanos();
            c.configureBlocking(false);
            try (Selector selector = Selector.open()) {
                c.register(selector, SelectionKey.OP_READ);
                while (System.nanoTime() < deadline) {
                    selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    selector.selectedKeys().clear();
                    buf.clear();
                    int n;
                    try {
                        n = c.read(buf);
                    } catch (SocketException e) {
                        // Sentinel closed with bytes of ours unread (after the line it answered): the kernel
                        // reports a reset once the reply has been read. That is the reply's end.
                        if (out.size() == 0) {
                            throw e;
                        }
                        n = -1;
                    }
                    if (n < 0) {
                        return out.toString(StandardCharsets.UTF_8);
                    }
                    out.write(buf.array(), 0, n);
                }
            }
            throw new IOException("no end of the reply within " + WAIT + ": " + out);
        }
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        Arbitrary<String> known = Arbitraries.of("status", "status sleep", "json", "status all json", "events 3",
                "history", "health verbose", "help", "version", "ping", "events sentinel", "nonsense", "status nosuch");
        Arbitrary<byte[]> text = Combinators.combine(known, Arbitraries.of("", "\n", "\r\n", "\n\n", "\nstatus\n",
                        " \t\n", "\u0000\n", "\n" + "x".repeat(5000)))
                .as((k, end) -> (k + end).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<byte[]> long_ = Arbitraries.integers().between(1000, 70_000).map(n -> new byte[n]);
        return Arbitraries.oneOf(text, any, long_);
    }

    @Provide
    Arbitrary<List<Integer>> pieces() {
        return Arbitraries.integers().between(1, 700).list().ofMaxSize(8);
    }

    @Property(seed = "20261207", tries = 150)
    void everyRequestGetsWholeLinesAndNobodyElseNotices(@ForAll("payloads") byte[] payload,
            @ForAll("pieces") List<Integer> pieces, @ForAll boolean shutOutput) throws IOException {
        String first = new String(payload, StandardCharsets.UTF_8).split("\n", 2)[0];
        Command c = CommandParser.parse(first);
        // Orders are obeyed (a random "stop" would end the run); watch keeps the connection open by design.
        Assume.that(!(c instanceof Command.Stop || c instanceof Command.Kill || c instanceof Command.Restart
                || c instanceof Command.Start || c instanceof Command.Limit || c instanceof Command.SendSignal
                || c instanceof Command.Reload || c instanceof Command.Watch));
        // Without a newline and with the write side open, Sentinel waits for the rest of the line (until
        // its read timeout): give it the end of the line.
        boolean complete = shutOutput || new String(payload, StandardCharsets.ISO_8859_1).indexOf('\n') >= 0
                || payload.length > 5000;
        byte[] sent = complete ? payload : concat(payload, "\n".getBytes(StandardCharsets.US_ASCII));
        String reply = request(sent, pieces, shutOutput);
        // A client that hangs up without a byte asked nothing (nc -U PATH </dev/null): no reply.
        if (sent.length > 0) {
            assertFalse(reply.isEmpty(), "a reply to " + describe(payload));
            assertTrue(reply.endsWith("\n"), "whole lines: " + reply);
        }
        assertEquals(pid, status(), "the program's status, from another client, after " + describe(payload));
        assertTrue(sentinel.process().isAlive(), "Sentinel is alive");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String describe(byte[] payload) {
        String s = new String(payload, StandardCharsets.ISO_8859_1);
        return payload.length + " bytes: " + (s.length() > 80 ? s.substring(0, 80) + "..." : s).replaceAll("\\p{Cntrl}", "?");
    }
}
