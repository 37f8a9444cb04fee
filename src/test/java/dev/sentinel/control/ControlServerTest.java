package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol over real sockets, against the real loop guarding a real child, in this JVM so
 * that the control timeouts can be short (1 s) and nothing waits for a JVM to start.
 */
@Timeout(60)
class ControlServerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private InProcessSentinel sentinel;

    @BeforeEach
    void guardSleep() throws Exception {
        sentinel = InProcessSentinel.at(dir.resolve("s.sock")).guard("sleep", "300");
    }

    @AfterEach
    void stop() throws Exception {
        sentinel.close();
    }

    @Test
    void statusOverJdkAndJunixsocketClients() throws IOException {
        String human = Clients.ask(sentinel.socket(), "status");
        assertTrue(human.matches("child pid=\\d+ state=RUNNING rss=\\S+ peak=\\S+ limit=1GiB used=\\d+\\.\\d% procs=1 "
                + "uptime=\\d+s restarts=0 last-stop=- next-restart=- kernel-limit=\\S+ cgroup=(yes|no) ready=yes check=- measure=rss "
                + "socket="
                + Pattern.quote(sentinel.socket().toString()) + "\n"),
                human);
        String json = Clients.askJunixsocket(sentinel.socket(), "status json");
        assertTrue(json.startsWith("{\"name\":\"child\",\"pid\":") && json.endsWith("}\n"), json);
        assertTrue(json.contains("\"limit_bytes\":1073741824") && json.contains("\"socket\":\"" + sentinel.socket()),
                json);
        assertEquals(json.replaceAll("\"(uptime_seconds|samples|cpu_seconds|rss_bytes|peak_rss_bytes|"
                        + "percent_of_limit|growth_bytes_per_second)\":[^,]+", ""),
                Clients.ask(sentinel.socket(), "JSON").replaceAll("\"(uptime_seconds|samples|cpu_seconds|rss_bytes|"
                        + "peak_rss_bytes|percent_of_limit|growth_bytes_per_second)\":[^,]+", ""));
    }

    @Test
    void questionsAreCaseInsensitiveAndEndWithANewline() throws IOException {
        assertEquals("pong\n", Clients.ask(sentinel.socket(), "PING"));
        assertEquals("pong\n", Clients.ask(sentinel.socket(), "  Ping \r"));
        assertEquals("sentinel test\n", Clients.ask(sentinel.socket(), "version"));
        String help = Clients.ask(sentinel.socket(), "help");
        for (String c : List.of("status json", "watch", "stop", "kill", "restart", "limit SIZE", "signal NAME", "ping")) {
            assertTrue(help.contains(c), "help lacks " + c + ":\n" + help);
        }
        assertTrue(help.endsWith("\n"));
    }

    @Test
    void healthOfAProgramWithoutCheckIsReadyWhileItRuns() throws IOException {
        assertEquals("OK ready\n", Clients.ask(sentinel.socket(), "health"));
        assertEquals("OK ready\nchild ready=yes expected=yes check=- why=-\n", Clients.ask(sentinel.socket(), "health child"));
        assertEquals(Clients.ask(sentinel.socket(), "health child"), Clients.ask(sentinel.socket(), "health verbose"));
    }

    @Test
    void anythingElseIsOneErrLineNamingItAndSuggestingHelp() throws IOException {
        assertEquals("ERR unknown command 'reboot now'; try 'help'\n", Clients.ask(sentinel.socket(), "reboot now"));
        assertTrue(Clients.ask(sentinel.socket(), "limit soon").startsWith("ERR 'soon' is not a memory limit"));
    }

    @Test
    void aLastLineWithoutNewlineCountsWhenTheClientHalfCloses() throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sentinel.socket()))) {
            ch.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            assertEquals("pong\n", Clients.readToEnd(ch, WAIT));
        }
    }

    @Test
    void limitOrderChangesTheLimitAndIsLoggedWithThePeer() throws IOException {
        assertEquals("OK limit of child changed from 1 GiB to 300 MiB\n", Clients.ask(sentinel.socket(), "limit 300M"));
        assertTrue(Clients.ask(sentinel.socket(), "status").contains(" limit=300MiB "));
        long me = ProcessHandle.current().pid();
        Await.until(WAIT, "the order event", () -> sentinel.eventMessages().contains(
                "order 'limit 300 MiB' from uid 0 pid " + me));
        assertTrue(Clients.ask(sentinel.socket(), "limit none").startsWith("OK "));
        assertTrue(Clients.ask(sentinel.socket(), "status json").contains("\"limit_bytes\":null"));
    }

    @Test
    void stopOrderStopsTheTreeAndSentinelEndsAndRemovesItsSocket() throws Exception {
        String reply = Clients.ask(sentinel.socket(), "stop");
        assertTrue(reply.startsWith("OK sent SIGTERM to child") && reply.endsWith("\n"), reply);
        assertEquals(128 + 15, sentinel.awaitExit(WAIT));
        assertFalse(Files.exists(sentinel.socket()), "the socket file is removed when the loop ends");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("sentinel-control")),
                "the control thread has ended with the loop");
        assertTrue(sentinel.eventMessages().stream().anyMatch(m -> m.startsWith("order 'stop' from uid 0 pid ")));
    }

    @Test
    void aSingleCommandSentinelTakesItsProgramsNameOrNoNameAndListsItForAnyOther() throws IOException {
        assertTrue(Clients.ask(sentinel.socket(), "status child").matches("child pid=\\d+ state=RUNNING .*\n"));
        assertTrue(Clients.ask(sentinel.socket(), "json all").startsWith("{\"name\":\"child\","));
        assertEquals("OK limit of child changed from 1 GiB to 300 MiB\n", Clients.ask(sentinel.socket(), "limit child 300M"));
        assertEquals("OK limit of child changed from 300 MiB to 400 MiB\n", Clients.ask(sentinel.socket(), "limit 400M"));
        assertEquals("ERR no program called 'web'; this Sentinel guards one program: child\n",
                Clients.ask(sentinel.socket(), "status web json"));
        assertEquals("ERR no program called 'web'; this Sentinel guards one program: child\n",
                Clients.ask(sentinel.socket(), "restart web"));
        assertTrue(Clients.ask(sentinel.socket(), "events child 5").lines().allMatch(l -> l.contains("\"name\":\"child\"")));
        assertTrue(sentinel.running());
    }

    @Test
    void reloadWithoutAConfigFileIsOneErrLineSayingWhy() throws IOException {
        String reply = Clients.ask(sentinel.socket(), "reload");
        assertTrue(reply.startsWith("ERR reload needs a config file") && reply.lines().count() == 1, reply);
        assertTrue(sentinel.running());
        assertTrue(Clients.ask(sentinel.socket(), "status").contains(" state=RUNNING "));
    }

    @Test
    void stopWithTheProgramsNameIsStop() throws Exception {
        String reply = Clients.ask(sentinel.socket(), "stop child");
        assertTrue(reply.startsWith("OK sent SIGTERM to child") && reply.lines().count() == 1, reply);
        assertEquals(128 + 15, sentinel.awaitExit(WAIT));
    }

    @Test
    void killOrderKillsAtOnce() throws Exception {
        String reply = Clients.ask(sentinel.socket(), "KILL");
        assertTrue(reply.startsWith("OK sent SIGKILL to child"), reply);
        assertEquals(128 + 9, sentinel.awaitExit(WAIT));
    }

    @Test
    void restartOrderStartsTheSameCommandAgain() throws IOException {
        long before = pid(Clients.ask(sentinel.socket(), "status"));
        assertTrue(Clients.ask(sentinel.socket(), "restart").startsWith("OK restarting child"));
        Await.until(WAIT, "a new pid", () -> {
            String s = status();
            return s.contains(" state=RUNNING ") && pid(s) != before && s.contains(" restarts=1 ");
        });
        assertTrue(status().contains(" last-stop=restart "));
    }

    @Test
    void errorsLeaveTheConnectionAndSentinelFine() throws IOException {
        assertTrue(Clients.ask(sentinel.socket(), "signal BOGUS").startsWith("ERR 'BOGUS' is not a signal"));
        assertTrue(sentinel.running());
        assertEquals("pong\n", Clients.ask(sentinel.socket(), "ping"));
    }

    @Test
    void linesOverFourKibAreRefused() throws IOException {
        String tooLong = Clients.ask(sentinel.socket(), "x".repeat(4097));
        assertEquals("ERR line too long: a command is at most 4096 bytes; try 'help'\n", tooLong);
        String longest = Clients.ask(sentinel.socket(), "y".repeat(4096));
        assertTrue(longest.startsWith("ERR unknown command 'yyyy"), longest);
        // A megabyte without a newline: answered after 4 KiB, and Sentinel does not read the rest.
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sentinel.socket()))) {
            ch.configureBlocking(false);
            ByteBuffer blob = ByteBuffer.wrap(new byte[1 << 20]);
            java.util.Arrays.fill(blob.array(), (byte) 'z');
            try {
                ch.write(blob);
            } catch (IOException e) {
                // the server may already have hung up
            }
            assertTrue(Clients.readToEnd(ch, WAIT).startsWith("ERR line too long"));
        }
        assertEquals("pong\n", Clients.ask(sentinel.socket(), "ping"));
    }

    @Test
    void invalidUtf8IsRefused() throws IOException {
        byte[] bad = {'s', 't', (byte) 0xff, (byte) 0xfe, 'u', 's', '\n'};
        assertEquals("ERR the command is not valid UTF-8 text; send a line like 'status'; try 'help'\n",
                Clients.ask(sentinel.socket(), bad));
        byte[] truncated = {'s', (byte) 0xe2, (byte) 0x82, '\n'};
        assertTrue(Clients.ask(sentinel.socket(), truncated).startsWith("ERR the command is not valid UTF-8"));
        byte[] overlong = {(byte) 0xc0, (byte) 0xaf, '\n'};
        assertTrue(Clients.ask(sentinel.socket(), overlong).startsWith("ERR the command is not valid UTF-8"));
    }

    @Test
    void binaryGarbageGetsOneErrLine() throws IOException {
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] garbage = new byte[1 + random.nextInt(3000)];
            random.nextBytes(garbage);
            garbage[garbage.length - 1] = '\n';
            String reply = Clients.ask(sentinel.socket(), garbage);
            assertTrue(reply.startsWith("ERR ") && reply.indexOf('\n') == reply.length() - 1, reply);
            assertFalse(reply.substring(0, reply.length() - 1).chars().anyMatch(Character::isISOControl), reply);
        }
        assertTrue(sentinel.running());
        assertEquals("pong\n", Clients.ask(sentinel.socket(), "ping"));
    }

    @Test
    void aSilentClientIsClosedAfterTheIdleTimeoutWithoutDelayingOthers() throws IOException {
        try (SocketChannel silent = SocketChannel.open(UnixDomainSocketAddress.of(sentinel.socket()))) {
            long start = System.nanoTime();
            assertEquals("pong\n", Clients.ask(sentinel.socket(), "ping"));
            long samples = sentinel.samples();
            Await.until(WAIT, "sampling to go on", () -> sentinel.samples() >= samples + 5);
            String reply = Clients.readToEnd(silent, WAIT);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals("ERR no command within 1s; closing. Send one line, e.g. 'echo status | nc -U PATH'\n", reply);
            assertTrue(millis >= 900 && millis < 5000, "closed after " + millis + " ms");
        }
        Await.until(WAIT, "no connection left", () -> connections() == 0);
    }

    @Test
    void aClientThatNeverReadsItsReplyIsDropped() throws IOException {
        try (SocketChannel lazy = SocketChannel.open(UnixDomainSocketAddress.of(sentinel.socket()))) {
            lazy.write(ByteBuffer.wrap("help\n".getBytes(StandardCharsets.US_ASCII)));
            Await.until(WAIT, "the server to be done with the lazy client", () -> connections() == 0);
            assertEquals("pong\n", Clients.ask(sentinel.socket(), "ping"));
        }
    }

    @Test
    void watchStreamsALinePerSampleUntilTheClientHangsUp() throws IOException {
        try (SocketChannel watch = SocketChannel.open(UnixDomainSocketAddress.of(sentinel.socket()))) {
            watch.write(ByteBuffer.wrap("watch json\n".getBytes(StandardCharsets.US_ASCII)));
            long last = -1;
            for (int i = 0; i < 4; i++) {
                String line = Clients.readLine(watch, WAIT);
                Matcher m = Pattern.compile("\"samples\":(\\d+)").matcher(line);
                assertTrue(line.startsWith("{\"name\":\"child\"") && m.find(), line);
                long samples = Long.parseLong(m.group(1));
                if (last >= 0) {
                    assertEquals(last + 1, samples, "one line per sample, none twice, none skipped");
                }
                last = samples;
            }
            assertEquals(1, connections());
        }
        Await.until(WAIT, "the watcher to be forgotten once it hung up", () -> connections() == 0);
    }

    @Test
    void aWatcherThatStopsReadingIsDroppedAndDoesNotSlowSampling() throws Exception {
        sentinel.close();
        ControlLimits limits = ControlLimits.DEFAULT.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
        sentinel = InProcessSentinel.at(dir.resolve("w.sock")).limits(limits).interval(Duration.ofMillis(2))
                .guard("sleep", "300");
        try (SocketChannel watch = SocketChannel.open(UnixDomainSocketAddress.of(sentinel.socket()))) {
            watch.write(ByteBuffer.wrap("watch json\n".getBytes(StandardCharsets.US_ASCII)));
            long start = sentinel.samples();
            Await.until(WAIT, "the watcher to be accepted", () -> connections() == 1);
            // ~500 lines/s of ~500 bytes fill the socket buffer in well under a second, then the backlog, then 1 s.
            Await.until(Duration.ofSeconds(30), () -> "the server to drop the watcher; connections: " + connections(),
                    () -> connections() == 0);
            assertTrue(sentinel.samples() - start > 100, "sampling went on: " + (sentinel.samples() - start));
            assertEquals("pong\n", Clients.ask(sentinel.socket(), "ping"));
        }
    }

    @Test
    void connectionsBeyondTheCapAreRefusedAtOnce() throws Exception {
        sentinel.close();
        sentinel = InProcessSentinel.at(dir.resolve("c.sock"))
                .limits(ControlLimits.DEFAULT.withTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(1))
                        .withMaxConnections(5))
                .guard("sleep", "300");
        List<SocketChannel> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                idle.add(SocketChannel.open(UnixDomainSocketAddress.of(sentinel.socket())));
            }
            Await.until(WAIT, "5 connections", () -> connections() == 5);
            // The refusal comes at once, without a request: writing one could meet the closed socket (EPIPE).
            try (SocketChannel sixth = SocketChannel.open(UnixDomainSocketAddress.of(sentinel.socket()))) {
                assertEquals("ERR too many connections (5 open); try again later\n", Clients.readToEnd(sixth, WAIT));
            }
            idle.get(0).close();
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
        Await.until(WAIT, "a free slot", () -> {
            try {
                return Clients.ask(sentinel.socket(), "ping").equals("pong\n");
            } catch (IOException e) {
                return false;
            }
        });
    }

    @Test
    void fiveHundredIdleClientsDelayNeitherSamplingNorAnswers() throws IOException {
        List<SocketChannel> idle = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 500; i++) {
                idle.add(SocketChannel.open(UnixDomainSocketAddress.of(sentinel.socket())));
            }
            long t0 = System.nanoTime();
            assertEquals("pong\n", Clients.ask(sentinel.socket(), "ping"));
            long samples = sentinel.samples();
            Await.until(WAIT, "sampling to go on", () -> sentinel.samples() >= samples + 5);
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 5_000);
            for (SocketChannel c : idle) {
                assertTrue(Clients.readToEnd(c, WAIT).startsWith("ERR no command within 1s"));
            }
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
        Await.until(WAIT, "every idle connection closed", () -> connections() == 0);
    }

    private int connections() {
        return sentinel.control.connectionCount();
    }

    private String status() {
        try {
            return Clients.ask(sentinel.socket(), "status");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static long pid(String status) {
        Matcher m = Pattern.compile(" pid=(\\d+) ").matcher(status);
        assertTrue(m.find(), status);
        return Long.parseLong(m.group(1));
    }
}
