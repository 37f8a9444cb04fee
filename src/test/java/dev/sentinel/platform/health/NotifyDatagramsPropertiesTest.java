package dev.sentinel.platform.health;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.Descriptors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * A real {@link NotifyReceiver} on a real socket under random datagrams: any bytes, 0 to 70 KiB,
 * KEY=VALUE lines (READY, STATUS, MAINPID, WATCHDOG, ...) with NULs, bytes that are not UTF-8,
 * huge values, repeated keys and lines without '=', some carrying file descriptors. Each one is
 * handed to the sink exactly as sent (decoded as UTF-8), or, over 4096 bytes, dropped and counted;
 * fds passed are closed; the {@code READY=1} sent after it is still received; the thread lives.
 * (What a program's datagrams do to its health, a stranger's included, is {@code NotifyEndToEndPropertiesTest}.)
 */
class NotifyDatagramsPropertiesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static NotifyReceiver receiver;
    private static NotifyTestSender sender;
    private static String address;
    private static final Queue<NotifyDatagram> got = new ConcurrentLinkedQueue<>();
    private static long baselineFds;
    private static final java.util.concurrent.atomic.AtomicLong TRIES = new java.util.concurrent.atomic.AtomicLong();

    @BeforeContainer
    static void open() throws IOException {
        receiver = new NotifyReceiver();
        address = "@sentinel-notify-fuzz-" + ProcessHandle.current().pid();
        receiver.open(address, got::add);
        sender = new NotifyTestSender();
        baselineFds = openFds();
    }

    @AfterContainer
    static void close() {
        if (sender != null) {
            sender.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** KEY=VALUE lines as programs (and broken programs) write them. */
    static Arbitrary<byte[]> notifyTexts() {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("READY", "STATUS", "MAINPID", "WATCHDOG", "STOPPING",
                "RELOADING", "ERRNO", "BUSERROR", "FDSTORE", "FDNAME", "EXTEND_TIMEOUT_USEC", "WATCHDOG_USEC",
                "MONOTONIC_USEC", "NOTIFYACCESS", "", "ready", " READY", "READY "),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(20));
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("1", "0", "", "2", "trigger", "-1", "1\u0000",
                "99999999999999999999", "Listening on 8080", "\u001b[31mred\u001b[0m", "\u0000\u0000", "\r"),
                Arbitraries.strings().ofMaxLength(300),
                Arbitraries.integers().between(1000, 5000).map(n -> "v".repeat(n)));
        Arbitrary<String> line = Arbitraries.oneOf(
                Combinators.combine(key, Arbitraries.of("=", "=", "=", "", "==", ":"), value).as((k, eq, v) -> k + eq + v),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(80));
        Arbitrary<byte[]> text = Combinators.combine(line.list().ofMaxSize(30), Arbitraries.of("\n", "\n", "\r\n",
                "\u0000", "\n\n")).as((lines, sep) -> String.join(sep, lines).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> invalidUtf8 = Combinators.combine(text, Arbitraries.of(new byte[] {(byte) 0xff},
                new byte[] {(byte) 0xc3}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, new byte[] {0}))
                .as((t, bad) -> {
                    byte[] out = new byte[t.length + bad.length];
                    int at = t.length / 2;
                    System.arraycopy(t, 0, out, 0, at);
                    System.arraycopy(bad, 0, out, at, bad.length);
                    System.arraycopy(t, at, out, at + bad.length, t.length - at);
                    return out;
                });
        Arbitrary<byte[]> any = Arbitraries.bytes().array(byte[].class).ofMaxSize(5000);
        Arbitrary<byte[]> sized = Arbitraries.of(0, 1, 4095, 4096, 4097, 8192, 65_536, 70_000).map(n -> {
            byte[] b = new byte[n];
            java.util.Arrays.fill(b, (byte) 'x');
            if (n > 8) {
                System.arraycopy("READY=1\n".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 8);
            }
            return b;
        });
        return Arbitraries.oneOf(text, invalidUtf8, any, sized);
    }

    @Provide
    Arbitrary<byte[]> datagrams() {
        return notifyTexts();
    }

    @Property(seed = "20261207")
    void everyDatagramIsTakenWholeOrDroppedAndTheNextIsStillHeard(@ForAll("datagrams") byte[] payload,
            @ForAll("fdCounts") int passFds) throws IOException {
        long droppedBefore = receiver.dropped();
        long passedBefore = receiver.passedFds();
        if (passFds > 0) {
            int[] fds = new int[passFds];
            for (int i = 0; i < passFds; i++) {
                fds[i] = NotifyTestSender.openDevNull();
            }
            try {
                sender.sendWithFds(address, new String(payload, StandardCharsets.ISO_8859_1), fds);
            } finally {
                for (int fd : fds) {
                    NotifyTestSender.closeFd(fd);
                }
            }
            // sendWithFds sends the text as UTF-8: what was sent is that.
            payload = new String(payload, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
        } else {
            sender.send(address, payload, 0);
        }
        // READY=1 with a number of its own: a random payload may be READY=1 too.
        String ready = "READY=1\nFUZZ_TRY=" + TRIES.incrementAndGet();
        sender.send(address, ready);

        List<NotifyDatagram> seen = new ArrayList<>();
        AtomicReference<NotifyDatagram> last = new AtomicReference<>();
        Await.until(WAIT, "READY=1 after " + describe(payload), () -> {
            for (NotifyDatagram d; (d = got.poll()) != null; ) {
                seen.add(d);
                last.set(d);
            }
            return last.get() != null && last.get().text().equals(ready);
        });
        long self = ProcessHandle.current().pid();
        for (NotifyDatagram d : seen) {
            assertEquals(self, d.pid(), "the sender's pid, as the kernel says");
        }
        if (payload.length > NotifyMessage.MAX_TEXT_BYTES) {
            assertEquals(1, seen.size(), "a datagram over 4096 bytes is dropped: " + describe(payload));
            assertEquals(droppedBefore + 1, receiver.dropped(), "and counted");
        } else {
            assertEquals(2, seen.size(), "the datagram and READY=1: " + describe(payload));
            assertEquals(droppedBefore, receiver.dropped());
            String expected = new String(payload, StandardCharsets.UTF_8);
            assertEquals(expected, seen.get(0).text(), describe(payload));
            assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8),
                    seen.get(0).text().getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(passedBefore + passFds, receiver.passedFds(), "every fd passed was received and closed");
        Await.until(WAIT, () -> "no fd kept: " + openFds() + " open, " + baselineFds + " at the start",
                () -> openFds() <= baselineFds);
        assertEquals(Thread.State.RUNNABLE, receiver.threadState(), "the notify thread polls on");
    }

    @Provide
    Arbitrary<Integer> fdCounts() {
        return Arbitraries.frequency(net.jqwik.api.Tuple.of(9, 0), net.jqwik.api.Tuple.of(1, 1),
                net.jqwik.api.Tuple.of(1, 3));
    }

    /** Open sockets, pipes, eventfds and passed /dev/null fds of this JVM (jars and class files left out). */
    private static long openFds() {
        return Descriptors.count("self", target -> !target.startsWith("/") || target.equals("/dev/null"));
    }

    static String describe(byte[] payload) {
        String s = new String(payload, StandardCharsets.ISO_8859_1);
        return payload.length + " bytes: " + (s.length() > 80 ? s.substring(0, 80) + "..." : s)
                .replaceAll("[\\p{Cntrl}\\x80-\\xff]", "?");
    }
}
