package dev.sentinel.platform.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Memory;
import dev.sentinel.platform.health.NotifySockets.Endpoint;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.Descriptors;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real sockets, real senders: socat (as a guarded program would send, with a pid the test learns
 * from the shell that execs it) and this JVM through libc (sendto, and sendmsg to pass fds).
 */
class NotifyReceiverTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final AtomicInteger NAMES = new AtomicInteger();

    @TempDir
    Path dir;

    private final NotifyReceiver receiver = new NotifyReceiver();
    private final List<Process> processes = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        receiver.close();
        Await.until(WAIT, "no notify thread left", () -> notifyThreads() == 0);
    }

    /** A fresh abstract address, unique to this JVM and call. */
    private static String abstractAddress(String what) {
        return "@sentinel-test-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet() + "-" + what;
    }

    private static long notifyThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals(NotifyReceiver.THREAD_NAME))
                .count();
    }

    private static Thread notifyThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals(NotifyReceiver.THREAD_NAME))
                .findFirst().orElseThrow();
    }

    /**
     * The open sockets, pipes and anonymous inodes (eventfds) of this JVM: what a notify socket or a
     * passed fd could leak. Regular files are left out: the JVM opens jars and class files on other
     * threads while a test runs, which made the whole count flaky.
     */
    private static long openFds() {
        return Descriptors.count("self", target -> !target.startsWith("/"));
    }

    private static long ownUid() throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("Uid:")) {
                return Long.parseLong(l.substring(4).trim().split("\\s+")[0]);
            }
        }
        throw new AssertionError("no Uid line in /proc/self/status");
    }

    private NotifyTestSender sender() throws IOException {
        NotifyTestSender s = new NotifyTestSender();
        closeables.add(s);
        return s;
    }

    /**
     * Sends {@code text} with socat (one write to its stdin, so one datagram) to {@code target}
     * (UNIX-SENDTO:... or ABSTRACT-SENDTO:...); returns socat's pid, written by the shell that
     * execs it.
     */
    private long socat(String target, String text) throws Exception {
        Path pidFile = Files.createTempFile(dir, "socat", ".pid");
        Process p = new ProcessBuilder("sh", "-c", "echo $$ > \"$0\"; exec socat -u - \"$1\"", pidFile.toString(),
                target).redirectErrorStream(true).start();
        processes.add(p);
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "socat ends");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "socat: " + output);
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        Files.delete(pidFile);
        return pid;
    }

    private static NotifyDatagram awaitOne(Queue<NotifyDatagram> got) {
        Await.until(WAIT, "a datagram", () -> !got.isEmpty());
        return got.poll();
    }

    private static void assertOneSentence(String message) {
        assertTrue(message.endsWith("."), message);
        assertFalse(message.substring(0, message.length() - 1).contains(". "), "one sentence: " + message);
    }

    @Test
    void aPathSocketGetsSocatsDatagramWithSocatsCredentials() throws Exception {
        Queue<NotifyDatagram> got = new ConcurrentLinkedQueue<>();
        String path = dir.resolve("notify.sock").toString();
        Endpoint e = receiver.open(path, got::add);
        assertEquals(path, e.address());
        assertTrue(Files.exists(Path.of(path)), "the socket file");

        long pid = socat("UNIX-SENDTO:" + path, "READY=1\nSTATUS=hi");

        NotifyDatagram d = awaitOne(got);
        assertEquals(new NotifyDatagram(pid, ownUid(), "READY=1\nSTATUS=hi"), d);
        assertNotEquals(ProcessHandle.current().pid(), d.pid(), "socat's pid, not ours");
    }

    @Test
    void anAbstractSocketGetsSocatsDatagramWithSocatsCredentials() throws Exception {
        Queue<NotifyDatagram> got = new ConcurrentLinkedQueue<>();
        String address = abstractAddress("socat");
        Endpoint e = receiver.open(address, got::add);
        assertEquals(address, e.address());

        long pid = socat("ABSTRACT-SENDTO:" + address.substring(1), "READY=1\nSTATUS=Listening on 8080\n");

        assertEquals(new NotifyDatagram(pid, ownUid(), "READY=1\nSTATUS=Listening on 8080\n"), awaitOne(got));
    }

    @Test
    void theCredentialsNameThisJvmWhenItSends() throws Exception {
        Queue<NotifyDatagram> got = new ConcurrentLinkedQueue<>();
        String path = dir.resolve("jvm.sock").toString();
        String abs = abstractAddress("jvm");
        receiver.open(path, got::add);
        receiver.open(abs, got::add);
        NotifyTestSender sender = sender();

        sender.send(path, "WATCHDOG=1");
        NotifyDatagram d = awaitOne(got);
        sender.send(abs, "STOPPING=1");
        NotifyDatagram d2 = awaitOne(got);

        long self = ProcessHandle.current().pid();
        assertEquals(new NotifyDatagram(self, ownUid(), "WATCHDOG=1"), d);
        assertEquals(new NotifyDatagram(self, ownUid(), "STOPPING=1"), d2);
    }

    @Test
    void fiftySocketsAreServedByOneThread() throws Exception {
        int count = 50;
        List<Queue<NotifyDatagram>> got = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Queue<NotifyDatagram> q = new ConcurrentLinkedQueue<>();
            String address = i % 2 == 0 ? dir.resolve("p" + i + ".sock").toString() : abstractAddress("many" + i);
            got.add(q);
            addresses.add(receiver.open(address, q::add).address());
        }
        NotifyTestSender sender = sender();
        for (int i = 0; i < count; i++) {
            sender.send(addresses.get(i), "READY=1\nSTATUS=" + i);
        }
        for (int i = 0; i < count; i++) {
            int n = i;
            Await.until(WAIT, "the datagram to socket " + n, () -> !got.get(n).isEmpty());
            assertEquals("READY=1\nSTATUS=" + i, got.get(i).poll().text());
        }
        assertEquals(1, notifyThreads(), "one sentinel-notify thread for all fifty");
    }

    /** Sends {@code count} datagrams {@code prefix + i} to {@code address} on a thread of its own, blocking when it is full. */
    private Thread flood(String address, String prefix, int count, AtomicReference<Throwable> failure)
            throws IOException {
        NotifyTestSender flooder = sender();
        Thread t = new Thread(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    flooder.send(address, prefix + i);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }, "test-flooder");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void tenThousandDatagramsArriveInOrderWithNoneLost() throws Exception {
        int flood = 10_000;
        String a = abstractAddress("flood");
        List<String> got = new ArrayList<>();
        AtomicInteger count = new AtomicInteger();
        AtomicLong firstNanos = new AtomicLong();
        AtomicLong lastNanos = new AtomicLong();
        receiver.open(a, d -> {
            got.add(d.text());
            int c = count.incrementAndGet();
            if (c == 1) {
                firstNanos.set(System.nanoTime());
            } else if (c == flood) {
                lastNanos.set(System.nanoTime());
            }
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = flood(a, "WATCHDOG=1\nSTATUS=", flood, failure);

        Await.until(Duration.ofSeconds(60), () -> "the flood, " + count.get() + " so far", () -> count.get() == flood);
        t.join(10_000);
        assertNull(failure.get());
        for (int i = 0; i < flood; i++) {
            assertEquals("WATCHDOG=1\nSTATUS=" + i, got.get(i));
        }
        assertEquals(0, receiver.dropped());
        double seconds = (lastNanos.get() - firstNanos.get()) / 1e9;
        System.out.printf("flood: %d datagrams in %.3f s, %.0f/s (one blocking sender)%n", flood, seconds,
                flood / seconds);
    }

    @Test
    void aFloodOnOneSocketDoesNotStarveAnother() throws Exception {
        int flood = 10_000;
        int trigger = 1_000;
        String a = abstractAddress("flood");
        String b = abstractAddress("quiet");
        byte[] ping = "WATCHDOG=1".getBytes(StandardCharsets.UTF_8);
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger aCount = new AtomicInteger();
        AtomicInteger aCountWhenBArrived = new AtomicInteger(-1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        NotifyTestSender flooder = sender();
        NotifyTestSender poke = sender();
        receiver.open(a, d -> {
            // The worst flooder: each datagram taken is replaced at once, so A is never empty and
            // only the bound on a turn lets anyone else in before the flood ends.
            try {
                if (sent.incrementAndGet() <= flood) {
                    flooder.send(a, ping, NotifyLibc.MSG_DONTWAIT);
                }
                if (aCount.incrementAndGet() == trigger) {
                    poke.send(b, ping, NotifyLibc.MSG_DONTWAIT);
                }
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            }
        });
        receiver.open(b, d -> aCountWhenBArrived.set(aCount.get()));
        long start = System.nanoTime();
        sent.incrementAndGet();
        flooder.send(a, ping, 0);

        Await.until(Duration.ofSeconds(60), () -> "the flood, " + aCount.get() + " so far", () -> aCount.get() == flood);
        assertNull(failure.get());
        int atB = aCountWhenBArrived.get();
        // B waits for the rest of A's turn and A's next one at most, not for the flood's end.
        assertTrue(atB >= trigger && atB <= trigger + 2 * NotifyReceiver.DRAIN_PER_TURN,
                "B arrived after " + atB + " of A's datagrams");
        assertEquals(0, receiver.dropped());
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("starvation: B, sent after A's %d, arrived after A's %d (of %d, %.0f/s sent and taken"
                + " on the one thread)%n", trigger, atB, flood, flood / seconds);
    }

    @Test
    void aDatagramOver4096BytesIsDroppedAndCountedAndTheNextArrives() throws Exception {
        Queue<NotifyDatagram> got = new ConcurrentLinkedQueue<>();
        String path = dir.resolve("big.sock").toString();
        receiver.open(path, got::add);
        NotifyTestSender sender = sender();

        sender.send(path, "S".repeat(NotifyMessage.MAX_TEXT_BYTES + 1));
        sender.send(path, "READY=1");
        assertEquals("READY=1", awaitOne(got).text());
        assertEquals(1, receiver.dropped());
        String whole = "X".repeat(NotifyMessage.MAX_TEXT_BYTES);
        sender.send(path, whole);
        assertEquals(whole, awaitOne(got).text(), "4096 bytes is not too many");
        sender.send(path, "Y".repeat(100_000));
        sender.send(path, "STATUS=after");
        assertEquals("STATUS=after", awaitOne(got).text());
        assertEquals(2, receiver.dropped());
        assertTrue(got.isEmpty());
    }

    @Test
    void garbageBytesArriveAsTextWithoutThrowing() throws Exception {
        Queue<NotifyDatagram> got = new ConcurrentLinkedQueue<>();
        String address = abstractAddress("garbage");
        receiver.open(address, got::add);
        NotifyTestSender sender = sender();
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 'A', (byte) 0xc3, (byte) 0x28, 0, (byte) 0xe2, (byte) 0x82};

        sender.send(address, garbage, 0);
        sender.send(address, new byte[0], 0);

        NotifyDatagram d = awaitOne(got);
        assertEquals(new String(garbage, StandardCharsets.UTF_8), d.text());
        assertTrue(d.text().contains("\uFFFD") && d.text().contains("\0A"), d.text());
        assertEquals("", awaitOne(got).text(), "an empty datagram is empty text");
        sender.send(address, "STATUS=caf\u00e9 \u2713");
        assertEquals("STATUS=caf\u00e9 \u2713", awaitOne(got).text());
        assertEquals(0, receiver.dropped());
    }

    @Test
    void passedFdsAreClosedAtOnce() throws Exception {
        Queue<NotifyDatagram> got = new ConcurrentLinkedQueue<>();
        String address = abstractAddress("fds");
        receiver.open(address, got::add);
        NotifyTestSender sender = sender();
        sender.send(address, "STATUS=warm");
        awaitOne(got);
        int devNull = NotifyTestSender.openDevNull();
        try {
            long baseline = openFds();
            int[] ten = new int[10];
            Arrays.fill(ten, devNull);
            for (int i = 0; i < 20; i++) {
                sender.sendWithFds(address, "FDSTORE=1\nSTATUS=" + i, ten);
            }
            int[] most = new int[NotifyMessage.MAX_FDS];
            Arrays.fill(most, devNull);
            sender.sendWithFds(address, "STATUS=most", most);

            Await.until(WAIT, () -> got.size() + " of 21 datagrams", () -> got.size() == 21);
            assertEquals("FDSTORE=1\nSTATUS=0", got.poll().text(), "the text still counts");
            assertEquals(20 * 10 + NotifyMessage.MAX_FDS, receiver.passedFds(), "every fd was received");
            assertEquals(0, receiver.dropped());
            Await.until(WAIT, "the fd count back at " + baseline, () -> openFds() == baseline);
        } finally {
            NotifyTestSender.closeFd(devNull);
        }
    }

    @Test
    void closingRemovesTheFileAndAHundredSocketsLeaveNoFdBehind() throws Exception {
        // The first socket starts the thread and makes its eventfd, which stay.
        receiver.open(abstractAddress("warm"), d -> { }).close();
        long baseline = openFds();
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String address = i % 2 == 0 ? dir.resolve("s" + i + ".sock").toString() : abstractAddress("h" + i);
            endpoints.add(receiver.open(address, d -> { }));
        }
        assertEquals(baseline + 100, openFds());
        for (Endpoint e : endpoints) {
            e.close();
            if (!e.address().startsWith("@")) {
                assertFalse(Files.exists(Path.of(e.address())), "removed: " + e.address());
            }
            e.close();
        }
        // Endpoint.close waits for the thread to close the fd.
        assertEquals(baseline, openFds());
        // So the address can be bound again at once, abstract names too.
        for (Endpoint e : endpoints) {
            receiver.open(e.address(), d -> { }).close();
        }
        assertEquals(baseline, openFds());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }

    @Test
    void aClosedSocketTakesNoMore() throws Exception {
        Queue<NotifyDatagram> got = new ConcurrentLinkedQueue<>();
        String path = dir.resolve("gone.sock").toString();
        Endpoint e = receiver.open(path, got::add);
        e.close();
        IOException refused = assertThrows(IOException.class, () -> sender().send(path, "READY=1"));
        assertTrue(refused.getMessage().contains("errno 2"), refused.getMessage());
        assertTrue(got.isEmpty());
    }

    @Test
    void theThreadCostsNothingIdleParksWithoutSocketsAndEndsOnClose() throws Exception {
        assertNull(receiver.threadState(), "no thread before the first socket");
        assertEquals(0, notifyThreads());
        Endpoint e = receiver.open(abstractAddress("idle"), d -> { });
        Thread t = notifyThread();
        Await.until(WAIT, "the thread in poll", () -> receiver.threadState() == Thread.State.RUNNABLE);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long cpu = mx.getThreadCpuTime(t.getId());
        // A measuring window, not a wait for something: a thread that spun would use all of it.
        Thread.sleep(300);
        long used = mx.getThreadCpuTime(t.getId()) - cpu;
        System.out.printf("idle notify thread: %d us CPU in 300 ms%n", used / 1000);
        assertTrue(used < 20_000_000L, "idle CPU: " + used + " ns");

        e.close();
        Await.until(WAIT, "the thread parked in Java", () -> receiver.threadState() == Thread.State.WAITING);
        receiver.close();
        assertFalse(t.isAlive(), "ended by close");
        assertEquals(0, notifyThreads());
        IOException closed = assertThrows(IOException.class, () -> receiver.open(abstractAddress("late"), d -> { }));
        assertOneSentence(closed.getMessage());
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void closingTheReceiverClosesEverySocketAndRemovesTheFiles() throws Exception {
        receiver.open(abstractAddress("warm"), d -> { }).close();
        long baseline = openFds();
        receiver.open(dir.resolve("a.sock").toString(), d -> { });
        receiver.open(abstractAddress("b"), d -> { });
        Endpoint c = receiver.open(dir.resolve("c.sock").toString(), d -> { });
        assertEquals(baseline + 3, openFds());
        receiver.close();
        // The sockets and the eventfd.
        assertEquals(baseline - 1, openFds());
        assertFalse(Files.exists(dir.resolve("a.sock")));
        assertFalse(Files.exists(dir.resolve("c.sock")));
        c.close();
    }

    @Test
    void aSinkThatThrowsDoesNotStopReceiving() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Queue<NotifyDatagram> got = new ConcurrentLinkedQueue<>();
        String bad = abstractAddress("bad");
        String good = abstractAddress("good");
        receiver.open(bad, d -> {
            calls.incrementAndGet();
            throw new IllegalStateException("a sink that fails");
        });
        receiver.open(good, got::add);
        NotifyTestSender sender = sender();
        for (int i = 0; i < 3; i++) {
            sender.send(bad, "READY=1");
        }
        Await.until(WAIT, () -> calls.get() + " calls", () -> calls.get() == 3);
        sender.send(good, "READY=1");
        assertEquals("READY=1", awaitOne(got).text());
    }

    @Test
    void aSinkMayCloseItsOwnSocket() throws Exception {
        receiver.open(abstractAddress("warm"), d -> { }).close();
        NotifyTestSender sender = sender();
        long baseline = openFds();
        AtomicReference<Endpoint> self = new AtomicReference<>();
        AtomicInteger calls = new AtomicInteger();
        String path = dir.resolve("self.sock").toString();
        self.set(receiver.open(path, d -> {
            calls.incrementAndGet();
            self.get().close();
        }));
        Queue<NotifyDatagram> got = new ConcurrentLinkedQueue<>();
        String other = abstractAddress("other");
        receiver.open(other, got::add);
        sender.send(path, "READY=1");
        Await.until(WAIT, "the socket closed by its sink", () -> !Files.exists(Path.of(path)));
        sender.send(other, "READY=1");
        // The thread took the other's datagram after its sink returned: the fd is closed by then.
        assertEquals("READY=1", awaitOne(got).text());
        assertEquals(1, calls.get());
        assertEquals(baseline + 1, openFds(), "only the other socket's fd");
    }

    @Test
    void openSaysInOneSentenceWhatIsWrongAndLeavesNothingBehind() throws Exception {
        receiver.open(abstractAddress("warm"), d -> { }).close();
        long baseline = openFds();
        String taken = dir.resolve("taken.sock").toString();
        String takenName = abstractAddress("taken");
        receiver.open(taken, d -> { });
        receiver.open(takenName, d -> { });

        String[][] cases = {
            {"/" + "a".repeat(107), "too long"},
            {"@" + "a".repeat(108), "too long"},
            {taken, "a file exists there"},
            {takenName, "another socket has that abstract name"},
            {dir.resolve("no/such/dir.sock").toString(), "its directory does not exist"},
            {"relative.sock", "neither an absolute path nor @name"},
            {"", "empty"},
            {"@", "no name"},
            {"/tmp/a\0b", "NUL"},
        };
        for (String[] c : cases) {
            IOException e = assertThrows(IOException.class, () -> receiver.open(c[0], d -> { }), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertOneSentence(e.getMessage());
        }
        assertEquals(baseline + 2, openFds(), "a failed open keeps no fd");
        assertTrue(Files.exists(Path.of(taken)), "a failed open removes nobody's file");

        // The longest names fit.
        String longest = dir.resolve("x".repeat(NotifyLibc.MAX_NAME_BYTES - dir.toString().length() - 1)).toString();
        assertEquals(NotifyLibc.MAX_NAME_BYTES, longest.length());
        Queue<NotifyDatagram> got = new ConcurrentLinkedQueue<>();
        receiver.open(longest, got::add);
        String unique = "-" + ProcessHandle.current().pid() + "-" + NAMES.incrementAndGet();
        String longestName = "@" + "n".repeat(NotifyLibc.MAX_NAME_BYTES - unique.length()) + unique;
        receiver.open(longestName, got::add);
        socat("UNIX-SENDTO:" + longest, "READY=1");
        assertEquals("READY=1", awaitOne(got).text());
        socat("ABSTRACT-SENDTO:" + longestName.substring(1), "STATUS=long");
        assertEquals("STATUS=long", awaitOne(got).text());
    }

    @Test
    void controlDataIsReadWithinItsLengthWhateverItClaims() {
        Memory control = new Memory(64);
        control.clear();
        // SCM_CREDENTIALS {pid 42, uid 1000, gid 1000}, then an SCM_RIGHTS claiming far more than is there.
        control.setLong(0, NotifyLibc.CMSG_HEADER_BYTES + NotifyMessage.UCRED_BYTES);
        control.setInt(8, NotifyLibc.SOL_SOCKET);
        control.setInt(12, NotifyLibc.SCM_CREDENTIALS);
        control.setInt(16, 42);
        control.setInt(20, 1000);
        control.setInt(24, 1000);
        control.setLong(32, Long.MAX_VALUE - 3);
        control.setInt(40, NotifyLibc.SOL_SOCKET);
        control.setInt(44, NotifyLibc.SCM_RIGHTS);
        control.setInt(48, 7);
        control.setInt(52, 8);
        control.setInt(56, 9);
        List<Integer> closed = new ArrayList<>();
        NotifyMessage.Credentials c = new NotifyMessage.Credentials();

        NotifyMessage.parseControl(control, 60, c, closed::add);
        assertEquals(42, c.pid);
        assertEquals(1000, c.uid);
        assertEquals(List.of(7, 8, 9), closed, "only the fds within the length");

        closed.clear();
        NotifyMessage.parseControl(control, 20, c, closed::add);
        assertEquals(0, c.pid, "a cut-off ucred is not read");
        assertEquals(-1, c.uid);
        control.setLong(0, 3);
        NotifyMessage.parseControl(control, 64, c, closed::add);
        assertEquals(List.of(), closed, "a cmsg_len below the header ends the walk");
    }
}
