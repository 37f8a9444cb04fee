package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.PidFiles;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeping a program up, end to end: a real Sentinel JVM restarting real programs (the leaker,
 * shells) by policy, backing off, giving up, tolerating spikes, journaling every run, and answering
 * {@code events}, {@code history} and {@code start} on its socket.
 */
class RestartingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PidFiles pidFiles;

    @BeforeEach
    void pidFiles() {
        pidFiles = new PidFiles(dir);
    }

    @AfterEach
    void noProcessLeftBehind() {
        pidFiles.assertNoneLeft(Duration.ofSeconds(10));
    }

    private Path pidFile() {
        return pidFiles.next();
    }

    private RunningProcess sentinel(List<String> options, List<String> command) {
        List<String> args = new ArrayList<>(List.of("--no-tui", "--no-metrics"));
        if (!options.contains("--socket")) {
            args.add("--no-socket");
        }
        args.addAll(options);
        args.add("--");
        args.addAll(command);
        return RunningProcess.start(JavaPrograms.sentinel(args.toArray(String[]::new)));
    }

    /** A shell that runs {@code first} on its first run and {@code later} on every run after (a marker file tells). */
    private List<String> firstThenLater(String first, String later) {
        Path marker = dir.resolve("ran-once");
        return List.of("sh", "-c", "if [ -e " + marker + " ]; then exec " + later + "; else touch " + marker
                + "; exec " + first + "; fi");
    }

    private static String shell(List<String> command) {
        StringBuilder b = new StringBuilder();
        for (String w : command) {
            b.append(b.length() == 0 ? "" : " ").append("'").append(w.replace("'", "'\\''")).append("'");
        }
        return b.toString();
    }

    private static long count(RunningProcess s, String regex) {
        Pattern p = Pattern.compile(regex);
        return s.stderr().stream().filter(l -> p.matcher(l).find()).count();
    }

    /** Each "restarting in Nms (restart K of ..." line as {K, N}. */
    private static List<long[]> delays(RunningProcess s) {
        Pattern p = Pattern.compile("restarting in (\\d+)ms \\(restart (\\d+) of at most ");
        List<long[]> out = new ArrayList<>();
        for (String l : s.stderr()) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                out.add(new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(1))});
            }
        }
        return out;
    }

    private static LocalTime timeOf(RunningProcess p, String regex) {
        Matcher m = p.awaitStderr("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) sentinel\\[[^\\]]+\\]: " + regex, WAIT);
        return LocalTime.parse(m.group(1));
    }

    @Test
    void aMemoryStopIsFollowedByARestartWithANewPid() throws IOException {
        Path pids = pidFile();
        Path socket = dir.resolve("s.sock");
        String leak = shell(JavaPrograms.leaker("--leak", "100", "--max", "1G", "--pid-file", pids.toString()));
        String idle = shell(JavaPrograms.leaker("--pid-file", pids.toString()));
        try (RunningProcess s = sentinel(List.of("-m", "100M", "-g", "2s", "-n", "svc", "--restart", "on-failure",
                "--restart-delay", "0", "--socket", socket.toString()), firstThenLater(leak, idle))) {
            long first = Long.parseLong(s.awaitStderr("sentinel\\[svc\\]: started pid (\\d+) \\(limit 100 MiB", WAIT)
                    .group(1));
            s.awaitStderr("sentinel\\[svc\\]: limit crossed: tree RSS", WAIT);
            s.awaitStderr("exited with status 143 \\(SIGTERM\\) \\(stopped by sentinel: memory limit exceeded\\)", WAIT);
            s.awaitStderr("sentinel\\[svc\\]: restarting now \\(restart 1 of at most 10; the last run lasted ", WAIT);
            long second = Long.parseLong(s.awaitStderr(
                    "sentinel\\[svc\\]: started pid (\\d+) \\(run 2, restart 1 after a memory stop; limit 100 MiB", WAIT)
                    .group(1));
            assertNotEquals(first, second);
            Await.until(WAIT, "run 2 to be sampled", () -> {
                String status = askQuietly(socket, "status");
                return status.contains(" state=RUNNING ") && status.contains("pid=" + second + " ");
            });
            String status = ask(socket, "status");
            assertTrue(status.contains(" restarts=1 last-stop=memory next-restart=- "), status);
            JsonNode json = JSON.readTree(ask(socket, "json"));
            assertEquals(2, json.get("run").asInt());
            assertEquals("on-failure", json.get("restart_policy").asText());
            assertEquals(1, json.get("restarts").asInt());
            assertEquals(1, json.get("restarts_by_reason").get("memory").asInt());
            assertEquals(1, json.get("consecutive_failures").asInt());
            assertEquals(143, json.get("last_exit_status").asInt());
            assertTrue(json.get("next_restart_seconds").isNull());
            assertTrue(ask(socket, "stop").startsWith("OK sent SIGTERM to svc"));
            assertEquals(143, s.awaitExit(WAIT), "an ordered stop is never restarted");
            assertEquals(1, count(s, "restarting "), "no restart after the order");
        }
    }

    @Test
    void aCrashLoopGivesUpWithTheDocumentedNumberOfRunsAndExitStatus() {
        try (RunningProcess s = sentinel(List.of("-n", "crash", "--restart", "on-failure", "--restart-delay", "100ms",
                "--max-restarts", "3"), List.of("sh", "-c", "exit 3"))) {
            assertEquals(3, s.awaitExit(WAIT), "the last run's status");
            s.awaitStderr("sentinel\\[crash\\]: gave up after 3 restarts in a row that each lasted under 1m "
                    + "\\(the last run exited with status 3\\)$", WAIT);
            assertEquals(4, count(s, "sentinel\\[crash\\]: started pid "), "--max-restarts 3 runs it 4 times");
            assertEquals(List.of(1L, 2L, 3L), delays(s).stream().map(d -> d[0]).toList(), s.stderr().toString());
            List<Long> millis = delays(s).stream().map(d -> d[1]).toList();
            for (int i = 0; i < 3; i++) {
                long nominal = 100L << i;
                assertTrue(Math.abs(millis.get(i) - nominal) <= nominal / 10, "doubling within ±10 %: " + millis);
            }
        }
    }

    @Test
    void stableRunsResetTheCountSoSentinelNeverGivesUp() {
        // Each run lasts 700 ms and counts as stable after 500 ms: with --max-restarts 1 an unstable
        // program would be given up on after its second run.
        try (RunningProcess s = sentinel(List.of("-n", "steady", "--restart", "on-failure", "--restart-delay", "50ms",
                "--stable-after", "500ms", "--max-restarts", "1"), List.of("sh", "-c", "sleep 0.7; exit 1"))) {
            Await.until(WAIT, "four runs", () -> count(s, "sentinel\\[steady\\]: started pid ") >= 4);
            assertEquals(0, count(s, "gave up"));
            assertTrue(count(s, "restart 1 of at most 1;") >= 3, s.stderr().toString());
            assertEquals(0, count(s, "restart 2 of"));
            s.signal("TERM");
            s.awaitExit(WAIT);
        }
        try (RunningProcess s = sentinel(List.of("-n", "flaky", "--restart", "on-failure", "--restart-delay", "50ms",
                "--stable-after", "5s", "--max-restarts", "1"), List.of("sh", "-c", "sleep 0.7; exit 1"))) {
            assertEquals(1, s.awaitExit(WAIT));
            s.awaitStderr("gave up after 1 restart in a row that each lasted under 5s", WAIT);
            assertEquals(2, count(s, "sentinel\\[flaky\\]: started pid "));
        }
    }

    @Test
    void aToleratedSpikeIsStoppedOnlyAfterTheTolerance() {
        Path pids = pidFile();
        try (RunningProcess s = sentinel(List.of("-m", "100M", "--tolerate", "1500ms", "-n", "spiky"),
                JavaPrograms.leaker("--spike", "200M", "--pid-file", pids.toString()))) {
            LocalTime crossed = timeOf(s, "limit crossed: tree RSS [0-9.]+ MiB > limit 100 MiB \\(1 process\\); "
                    + "over the limit; tolerated for up to 1.5s$");
            LocalTime term = timeOf(s, "sent SIGTERM to the tree \\(memory limit exceeded for 1.5s\\)");
            long gap = Duration.between(crossed, term).toMillis();
            assertTrue(gap >= 1495 && gap < 3000, "SIGTERM came " + gap + " ms after the crossing");
            assertEquals(143, s.awaitExit(WAIT));
        }
    }

    @Test
    void aDipUnderTheLimitStartsTheToleranceAgain() {
        Path pids = pidFile();
        // Grows at 200 MiB/s to 150 MiB, frees it all, again and again: about a quarter of a second
        // over the 100 MiB limit each time, well inside a 2 s tolerance (even if a dip fell between two
        // samples, the two stretches around it would still be inside it).
        try (RunningProcess s = sentinel(List.of("-m", "100M", "--tolerate", "2s", "-n", "saw"),
                JavaPrograms.leaker("--leak", "200", "--sawtooth", "150M", "--pid-file", pids.toString()))) {
            Await.until(WAIT, "three dips back under the limit",
                    () -> count(s, "sentinel\\[saw\\]: back under the limit after ") >= 3);
            assertEquals(0, count(s, "sent SIGTERM"), s.stderr().toString());
            assertTrue(count(s, "tolerated for up to 2s") >= 3);
            s.signal("TERM");
            assertEquals(143, s.awaitExit(WAIT));
        }
    }

    @Test
    void theJournalKeepsEveryLineWhenSentinelIsKilled() throws IOException {
        Path journal = dir.resolve("journal.jsonl");
        try (RunningProcess s = sentinel(List.of("-n", "j", "--journal", journal.toString(), "--restart", "always",
                "--restart-delay", "50ms", "--max-restarts", "0"), List.of("sh", "-c", "sleep 0.1; exit 4"))) {
            Await.until(WAIT, "six runs in the journal", () -> lines(journal).stream()
                    .filter(l -> l.contains("\"kind\":\"started\"")).count() >= 6);
            s.signal("KILL");
            s.awaitExit(WAIT);
        }
        byte[] raw = Files.readAllBytes(journal);
        assertEquals('\n', raw[raw.length - 1], "no torn last line");
        List<JsonNode> events = new ArrayList<>();
        for (String l : lines(journal)) {
            events.add(JSON.readTree(l));
        }
        assertTrue(events.size() >= 15, events.size() + " events");
        int lastRun = 0;
        for (JsonNode e : events) {
            assertEquals("j", e.get("name").asText());
            assertTrue(e.get("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d\\d:\\d\\d"),
                    e.toString());
            int run = e.get("run").asInt();
            assertTrue(run >= lastRun, "runs only go up: " + e);
            lastRun = run;
        }
        JsonNode exited = events.stream().filter(e -> e.get("kind").asText().equals("exited")).findFirst().orElseThrow();
        assertEquals(4, exited.get("exit_status").asInt());
        assertTrue(exited.get("reason").isNull());
        assertTrue(exited.get("duration_seconds").asDouble() >= 0.1);
        JsonNode scheduled = events.stream().filter(e -> e.get("kind").asText().equals("restart-scheduled"))
                .findFirst().orElseThrow();
        assertEquals("failure", scheduled.get("reason").asText());
        assertTrue(scheduled.get("message").asText().startsWith("restarting in "));
        JsonNode started = events.stream().filter(e -> e.get("kind").asText().equals("started") && e.get("run").asInt() == 2)
                .findFirst().orElseThrow();
        assertEquals("failure", started.get("restart_reason").asText());
        assertEquals("sh", started.get("command").get(0).asText());
    }

    @Test
    void eventsHistoryAndStartOverTheSocket() throws IOException {
        Path socket = dir.resolve("s.sock");
        try (RunningProcess s = sentinel(List.of("-n", "svc", "--restart", "on-failure", "--restart-delay", "30s",
                "--socket", socket.toString()), firstThenLater("sh -c 'exit 3'", "sleep 60"))) {
            s.awaitStderr("sentinel\\[svc\\]: restarting in [23]\\d(\\.\\d)?s \\(restart 1 of at most 10;", WAIT);
            String waiting = ask(socket, "status");
            assertTrue(waiting.matches("svc pid=\\d+ state=BACKOFF .* restarts=0 last-stop=- next-restart=[23]\\d(\\.\\d)?s "
                    + "kernel-limit=\\S+ cgroup=(yes|no) ready=no check=- measure=rss socket=.*\n"), waiting);
            assertTrue(JSON.readTree(ask(socket, "json")).get("next_restart_seconds").asDouble() > 20);

            String started = ask(socket, "start");
            assertTrue(started.matches("OK started svc again as pid \\d+ \\(its restart was due in [23]\\d(\\.\\d)?s\\)\n"),
                    started);
            assertTrue(ask(socket, "start").startsWith("ERR svc is already running"));
            JsonNode json = JSON.readTree(ask(socket, "json"));
            assertEquals(1, json.get("restarts_by_reason").get("order").asInt());
            assertEquals(0, json.get("consecutive_failures").asInt(), "start clears the count");
            assertEquals(3, json.get("last_exit_status").asInt());

            List<String> history = ask(socket, "history").lines().toList();
            assertEquals(2, history.size(), history.toString());
            assertTrue(history.get(0).matches("svc run=1 started=\\S+ duration=\\S+ peak=\\S+ exit=3 why=exit"),
                    history.get(0));
            assertTrue(history.get(1).matches("svc run=2 started=\\S+ duration=\\S+ peak=\\S+ exit=running why=-"),
                    history.get(1));
            JsonNode h = JSON.readTree(ask(socket, "history json").lines().findFirst().orElseThrow());
            assertEquals(3, h.get("exit_status").asInt());
            assertEquals("exit", h.get("reason").asText());

            List<JsonNode> events = new ArrayList<>();
            for (String l : ask(socket, "events 100").lines().toList()) {
                events.add(JSON.readTree(l));
            }
            List<String> kinds = events.stream().map(e -> e.get("kind").asText()).toList();
            assertTrue(kinds.containsAll(List.of("started", "exited", "restart-scheduled", "order")), kinds.toString());
            assertEquals(2, kinds.stream().filter("started"::equals).count());
            assertEquals(3, ask(socket, "events 3").lines().count());
            assertTrue(ask(socket, "events zero").startsWith("ERR 'events' takes nothing or a count"));

            assertTrue(ask(socket, "stop").startsWith("OK sent SIGTERM"));
            assertEquals(143, s.awaitExit(WAIT));
        }
    }

    @Test
    void aStopDuringBackoffCancelsTheRestartAndSentinelExitsWithTheLastStatus() throws IOException {
        Path socket = dir.resolve("b.sock");
        try (RunningProcess s = sentinel(List.of("-n", "b", "--restart", "on-failure", "--restart-delay", "30s",
                "--socket", socket.toString()), List.of("sh", "-c", "exit 5"))) {
            s.awaitStderr("sentinel\\[b\\]: restarting in ", WAIT);
            String reply = ask(socket, "stop");
            assertTrue(reply.matches("OK cancelled the restart of b that was due in [23]\\d(\\.\\d)?s; it stays stopped\n"),
                    reply);
            assertEquals(5, s.awaitExit(WAIT));
            assertEquals(1, count(s, "started pid"));
        }
    }

    @Test
    void sigtermDuringBackoffEndsSentinelAtOnce() {
        try (RunningProcess s = sentinel(List.of("-n", "t", "--restart", "always", "--restart-delay", "30s"),
                List.of("true"))) {
            s.awaitStderr("sentinel\\[t\\]: restarting in ", WAIT);
            s.signal("TERM");
            assertEquals(0, s.awaitExit(Duration.ofSeconds(10)), "the last run's status");
            s.awaitStderr("received SIGTERM: cancelled the restart of t", WAIT);
        }
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String askQuietly(Path socket, String line) {
        try {
            return ask(socket, line);
        } catch (IOException e) {
            return "";
        }
    }

    /** One request over the socket (as {@code echo LINE | nc -U} does), the whole reply. */
    static String ask(Path socket, String line) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            ch.shutdownOutput();
            // Sentinel closes the connection after its reply (and any client after 5 s at the latest).
            ByteBuffer buf = ByteBuffer.allocate(1 << 16);
            StringBuilder out = new StringBuilder();
            int n;
            while ((n = ch.read(buf.clear())) >= 0) {
                out.append(new String(buf.array(), 0, n, StandardCharsets.UTF_8));
            }
            return out.toString();
        }
    }
}
