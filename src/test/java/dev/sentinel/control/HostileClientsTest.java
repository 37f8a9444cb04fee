package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of the control socket: no client, however slow or hostile, delays sampling or a
 * kill. A real Sentinel guards a leaker that crosses its limit while 500 idle connections are
 * held open (re-opened as Sentinel closes them) and garbage pours in; the kill must come on time.
 */
class HostileClientsTest {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final Pattern CROSSED = Pattern.compile(
            "^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) sentinel\\[leaker\\]: limit crossed: tree RSS ([0-9.]+) MiB > limit 150 MiB");
    private static final Pattern TERM = Pattern.compile(
            "^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) sentinel\\[leaker\\]: sent SIGTERM to the tree \\(memory limit exceeded\\)");
    private static final Pattern KILL = Pattern.compile(
            "^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) sentinel\\[leaker\\]: sent SIGKILL to the tree \\(grace period of 1s is over");

    @TempDir
    Path dir;

    @Test
    void samplingAndTheMemoryKillStayOnTimeUnderFloodsOfIdleAndGarbageClients() throws Exception {
        Path socket = dir.resolve("h.sock");
        List<String> cmd = new ArrayList<>(JavaPrograms.sentinel("--socket", socket.toString(), "--no-metrics",
                "--no-tui", "-n", "leaker", "-m", "150M", "-g", "1s", "-i", "100ms", "--kernel-limit", "off", "--"));
        // ~40 MiB at start, 25 MiB/s: the limit is crossed some 4-5 s after start. SIGTERM is ignored, so
        // only the SIGKILL after the 1 s grace period ends it.
        cmd.addAll(JavaPrograms.leaker("--leak", "25", "--ignore-term"));
        try (RunningProcess sentinel = RunningProcess.start(cmd);
             IdleFlood idle = new IdleFlood(socket, 500);
             GarbageFlood garbage = new GarbageFlood(socket, 2)) {
            Await.until(WAIT, () -> "Sentinel to answer; stderr: " + sentinel.stderr(), () -> answers(socket));
            idle.start();
            garbage.start();
            Await.until(WAIT, () -> "500 idle connections; open: " + idle.open(), () -> idle.open() >= 500);
            Await.until(WAIT, "garbage to be answered", () -> garbage.errors.get() >= 10);

            // Other clients are answered at once, and sampling goes on at its pace (10/s; at least 5 in 2 s).
            long t0 = System.nanoTime();
            long samples = samples(socket);
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000, "status answered within 2 s under the floods");
            Await.until(Duration.ofSeconds(2), "5 samples within 2 s under the floods", () -> samples(socket) >= samples + 5);
            boolean floodsStillOn = idle.open() >= 400;

            Matcher crossed = sentinel.awaitStderr(CROSSED.pattern(), WAIT);
            Matcher term = sentinel.awaitStderr(TERM.pattern(), WAIT);
            Matcher kill = sentinel.awaitStderr(KILL.pattern(), WAIT);
            assertEquals(128 + 9, sentinel.awaitExit(WAIT), "the leaker ended by SIGKILL");

            double overshootMiB = Double.parseDouble(crossed.group(2)) - 150;
            long graceMillis = millisBetween(term.group(1), kill.group(1));
            System.out.printf("hostile run: crossing seen %.1f MiB over the limit, SIGKILL %d ms after SIGTERM, "
                    + "%d idle connections re-opened, %d garbage clients answered ERR%n", overshootMiB, graceMillis,
                    idle.replaced.get(), garbage.errors.get());
            // Sampled every 100 ms at 25 MiB/s, the tree is seen at most ~3 MiB over; a loop held up by a
            // client for a second would let it grow 25 MiB more.
            assertTrue(overshootMiB < 15, "limit crossing noticed " + overshootMiB + " MiB late");
            assertTrue(graceMillis >= 900 && graceMillis < 2500, "SIGKILL " + graceMillis + " ms after SIGTERM");
            assertTrue(floodsStillOn, "the idle flood was still on while sampling was measured");
        }
    }

    private static void join(Thread t) {
        try {
            t.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long millisBetween(String from, String to) {
        return Duration.between(LocalTime.parse(from), LocalTime.parse(to)).toMillis();
    }

    private static boolean answers(Path socket) {
        try {
            return Clients.ask(socket, "ping").equals("pong\n");
        } catch (IOException | AssertionError e) {
            return false;
        }
    }

    private static long samples(Path socket) {
        try {
            Matcher m = Pattern.compile("\"samples\":(\\d+)").matcher(Clients.ask(socket, "status json"));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Keeps {@code size} connections open that never send a byte; re-opens the ones Sentinel closes. */
    private static final class IdleFlood implements AutoCloseable {
        private final Path socket;
        private final int size;
        private final List<SocketChannel> channels = new ArrayList<>();
        private final AtomicInteger open = new AtomicInteger();
        final AtomicInteger replaced = new AtomicInteger();
        private final Thread thread;
        private volatile boolean stop;

        IdleFlood(Path socket, int size) {
            this.socket = socket;
            this.size = size;
            this.thread = new Thread(this::run, "idle-flood");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        int open() {
            return open.get();
        }

        private void run() {
            ByteBuffer buf = ByteBuffer.allocate(512);
            while (!stop) {
                while (channels.size() < size && !stop) {
                    try {
                        SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                        c.configureBlocking(false);
                        channels.add(c);
                    } catch (IOException e) {
                        break; // Sentinel is gone, or busy: try again on the next round
                    }
                }
                open.set(channels.size());
                for (Iterator<SocketChannel> it = channels.iterator(); it.hasNext(); ) {
                    SocketChannel c = it.next();
                    buf.clear();
                    int n;
                    try {
                        n = c.read(buf);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n < 0) {
                        closeQuietly(c);
                        it.remove();
                        replaced.incrementAndGet();
                    }
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // a load generator's pace
            }
            channels.forEach(IdleFlood::closeQuietly);
        }

        private static void closeQuietly(SocketChannel c) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing a test client
            }
        }

        @Override
        public void close() {
            stop = true;
            join(thread);
        }
    }

    /** Connects, sends random bytes (often over 4 KiB, often not UTF-8), reads the reply, again and again. */
    private static final class GarbageFlood implements AutoCloseable {
        private final Path socket;
        private final List<Thread> threads = new ArrayList<>();
        final AtomicInteger errors = new AtomicInteger();
        private volatile boolean stop;

        GarbageFlood(Path socket, int threadCount) {
            this.socket = socket;
            for (int i = 0; i < threadCount; i++) {
                long seed = i;
                Thread t = new Thread(() -> run(new Random(seed)), "garbage-flood-" + i);
                t.setDaemon(true);
                threads.add(t);
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        private void run(Random random) {
            while (!stop) {
                byte[] garbage = new byte[1 + random.nextInt(8192)];
                random.nextBytes(garbage);
                try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    c.configureBlocking(false);
                    try {
                        c.write(ByteBuffer.wrap(garbage));
                        c.shutdownOutput();
                    } catch (IOException e) {
                        // Sentinel may answer and hang up before taking it all
                    }
                    if (Clients.readToEnd(c, Duration.ofSeconds(10)).startsWith("ERR ")) {
                        errors.incrementAndGet();
                    }
                } catch (IOException | AssertionError e) {
                    // Sentinel is gone at the end of the test
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)); // a load generator's pace
            }
        }

        @Override
        public void close() {
            stop = true;
            threads.forEach(HostileClientsTest::join);
        }
    }
}
