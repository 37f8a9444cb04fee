package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.PidFiles;
import dev.sentinel.testing.RunningProcess;
import dev.sentinel.testing.TinyServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health end to end: a real Sentinel with {@code --config}, real programs, real HTTP servers and
 * listeners, real exec checks, real notify datagrams (socat), its real socket and its real
 * {@code /readyz}. Every program's processes write their pids to a pid file, and after each test
 * none may be alive.
 */
class HealthEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PidFiles pidFiles;
    private Path socket;
    private final List<AutoCloseable> servers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        pidFiles = new PidFiles(dir);
        socket = dir.resolve("s.sock");
    }

    @AfterEach
    void noProcessLeftBehind() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
        pidFiles.assertNoneLeft(Duration.ofSeconds(10));
    }

    private static String array(List<String> command) {
        StringBuilder b = new StringBuilder("[");
        for (String w : command) {
            b.append(b.length() == 1 ? "" : ", ").append('"').append(w.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return b.append(']').toString();
    }

    /** A shell program that records its pid, then runs {@code script} (a config file's "$$" is one "$"). */
    private String shell(String script) {
        Path pids = pidFiles.next();
        return array(List.of("sh", "-c", "echo $$$$ >> " + pids + "; " + script));
    }

    /** The tiny web server as a guarded program: it listens on {@code port} after {@code delayMillis}. */
    private String server(int port, long delayMillis, Path statusFile) {
        StringBuilder exec = new StringBuilder("exec");
        for (String w : TinyServer.command(port, delayMillis, statusFile)) {
            exec.append(" '").append(w.replace("'", "'\\''")).append('\'');
        }
        return shell(exec.toString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private Path config(String sentinel, String programs) throws IOException {
        Path file = dir.resolve("sentinel.toml");
        Files.writeString(file, "[sentinel]\nsocket = \"" + socket + "\"\n" + sentinel + "\n[defaults]\n"
                + "grace = \"2s\"\nrestart_delay = \"100ms\"\n\n" + programs);
        return file;
    }

    private Path config(String programs) throws IOException {
        return config("metrics = false\n", programs);
    }

    private static RunningProcess sentinel(Path config) {
        return RunningProcess.start(JavaPrograms.sentinel("--no-tui", "--config", config.toString()));
    }

    private String ask(String line) {
        try {
            return RestartingTest.ask(socket, line);
        } catch (IOException e) {
            return "";
        }
    }

    private JsonNode json(String name) throws IOException {
        return JSON.readTree(RestartingTest.ask(socket, "json " + name));
    }

    private void awaitStatus(String name, String part) {
        Await.until(WAIT, () -> name + " with " + part + ": " + ask("status " + name),
                () -> ask("status " + name).contains(part));
    }

    /** A JDK web server in this JVM answering {@code status} (which the test may change). */
    private HttpServer webServer(AtomicInteger status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        return server;
    }

    /** GET {@code path} on the metrics port: its status and body. */
    private static String get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        int code = c.getResponseCode();
        try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return code + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String getQuietly(int port, String path) {
        try {
            return get(port, path);
        } catch (IOException e) {
            return "";
        }
    }

    private static long epochOf(RunningProcess s, String regex) {
        Pattern p = Pattern.compile(regex);
        for (String line : s.stderr()) {
            if (p.matcher(line).find()) {
                return s.stderr().indexOf(line);
            }
        }
        return -1;
    }

    @Test
    void aServerIsReadyOnceItListensAndReadyzSaysSoAfter503() throws IOException {
        int port = freePort();
        int metrics = freePort();
        Path file = config("metrics_port = " + metrics + "\nmetrics_host = \"127.0.0.1\"\n",
                "[programs.web]\ncommand = " + server(port, 2000, dir.resolve("web.status")) + "\nready = \"check\"\n"
                        + "check.http = \"http://127.0.0.1:" + port + "/health\"\n");
        try (RunningProcess s = sentinel(file)) {
            awaitStatus("web", " state=RUNNING ");
            Await.until(WAIT, "/readyz answers", () -> getQuietly(metrics, "/readyz").length() > 0);
            String before = get(metrics, "/readyz");
            assertTrue(before.startsWith("503 "), before);
            assertTrue(before.contains("web"), before);
            assertTrue(ask("status web").contains(" ready=no "), ask("status web"));
            Await.until(WAIT, "web ready", () -> ask("status web").contains(" ready=yes "));
            assertTrue(get(metrics, "/readyz").startsWith("200 "), get(metrics, "/readyz"));
            assertTrue(get(metrics, "/healthz").startsWith("200 "));
            assertTrue(ask("status web").contains(" check=passing "), ask("status web"));
            assertTrue(ask("health").startsWith("OK"), ask("health"));
            JsonNode j = json("web");
            assertTrue(j.get("ready").asBoolean());
            assertEquals("passing", j.get("check").asText());
            String metricsText = get(metrics, "/metrics");
            assertTrue(metricsText.contains("sentinel_process_ready{name=\"web\"} 1.0"), metricsText);
            s.awaitStderr("sentinel\\[web\\]: ready ", WAIT);
        }
    }

    @Test
    void aServerThatStartsAnswering500IsRestartedAfterThresholdChecksAsACheckFailure() throws IOException {
        int port = freePort();
        Path status = dir.resolve("web.status");
        Path file = config("[programs.web]\ncommand = " + server(port, 0, status) + "\n"
                + "[programs.web.check]\nhttp = \"http://127.0.0.1:" + port + "/\"\nperiod = \"300ms\"\n"
                + "threshold = 3\n");
        try (RunningProcess s = sentinel(file)) {
            awaitStatus("web", " check=passing ");
            long first = json("web").get("pid").asLong();
            Files.writeString(status, "500");
            s.awaitStderr("sentinel\\[web\\]: check failed 3 times in a row: http http://127.0.0.1:" + port
                    + "/ \\(HTTP 500\\); restarting it", WAIT);
            s.awaitStderr("sentinel\\[web\\]: sent SIGTERM to the tree \\(its health check failed: its check failed 3 "
                    + "times in a row \\(HTTP 500\\)\\)", WAIT);
            Files.writeString(status, "200");
            Await.until(WAIT, "web restarted", () -> {
                try {
                    JsonNode j = json("web");
                    return j.get("pid").asLong() != first && j.get("state").asText().equals("RUNNING");
                } catch (IOException e) {
                    return false;
                }
            });
            JsonNode j = json("web");
            assertEquals("check-failed", j.get("last_stop").asText(), j.toString());
            assertTrue(j.get("check_failures").asLong() >= 3, j.toString());
            s.awaitStderr("restart 1 after a failed health check", WAIT);
        }
    }

    @Test
    void aReadyLevelFailureOnlyFlipsReadiness() throws IOException {
        AtomicInteger answer = new AtomicInteger(200);
        HttpServer web = webServer(answer);
        Path file = config("[programs.app]\ncommand = " + shell("exec sleep 600") + "\n"
                + "[programs.app.check]\nhttp = \"http://127.0.0.1:" + web.getAddress().getPort() + "/\"\n"
                + "period = \"200ms\"\nthreshold = 2\nlevel = \"ready\"\n");
        try (RunningProcess s = sentinel(file)) {
            awaitStatus("app", " ready=yes ");
            long pid = json("app").get("pid").asLong();
            answer.set(503);
            awaitStatus("app", " ready=no ");
            assertTrue(ask("status app").contains(" check=failing "));
            assertTrue(ask("health").startsWith("ERR not ready: app"), ask("health"));
            answer.set(200);
            awaitStatus("app", " ready=yes ");
            assertEquals(pid, json("app").get("pid").asLong(), "never restarted");
            s.awaitStderr("sentinel\\[app\\]: not ready: check failing: HTTP 503", WAIT);
            s.awaitStderr("sentinel\\[app\\]: check passes again", WAIT);
        }
    }

    @Test
    void afterStartsBOnlyOnceAAnswersItsCheck() throws IOException {
        int port = freePort();
        Path file = config("[programs.b]\ncommand = " + shell("exec sleep 600") + "\nafter = [\"a\"]\n\n"
                + "[programs.a]\ncommand = " + server(port, 2000, dir.resolve("a.status")) + "\nready = \"check\"\n"
                + "check.tcp = \"127.0.0.1:" + port + "\"\n");
        try (RunningProcess s = sentinel(file)) {
            awaitStatus("b", " state=WAITING ");
            Await.until(WAIT, "b runs", () -> ask("status b").contains(" state=RUNNING "));
            long ready = epochOf(s, "sentinel\\[a\\]: ready ");
            long started = epochOf(s, "sentinel\\[b\\]: started pid ");
            assertTrue(ready >= 0 && started > ready, "b's start comes after a's ready event: " + s.stderr());
            assertTrue(s.stderr().stream().anyMatch(l -> l.contains("b: a is ready; starting it")), s.stderr().toString());
        }
    }

    @Test
    void requiresStopsBWhileAIsDownAndStartsItAgainWhenAIsBack() throws IOException {
        int port = freePort();
        Path file = config("[programs.a]\ncommand = " + server(port, 0, dir.resolve("a.status")) + "\nready = \"check\"\n"
                + "[programs.a.check]\ntcp = \"127.0.0.1:" + port + "\"\nperiod = \"300ms\"\n\n"
                + "[programs.b]\ncommand = " + shell("exec sleep 600") + "\nrequires = [\"a\"]\n");
        try (RunningProcess s = sentinel(file)) {
            awaitStatus("b", " state=RUNNING ");
            long b = json("b").get("pid").asLong();
            assertTrue(ask("restart a").startsWith("OK"));
            s.awaitStderr("sentinel\\[b\\]: sent SIGTERM to the tree \\(a program it requires is down\\)", WAIT);
            Await.until(WAIT, "b runs again", () -> {
                try {
                    JsonNode j = json("b");
                    return j.get("pid").asLong() != b && j.get("state").asText().equals("RUNNING");
                } catch (IOException e) {
                    return false;
                }
            });
            assertEquals("required", json("b").get("last_stop").asText());
        }
    }

    @Test
    void aProgramThatSendsReady1BecomesReadyAndOneThatStopsPingingItsWatchdogIsRestarted() throws IOException {
        String send = "socat - \"ABSTRACT-SENDTO:$${NOTIFY_SOCKET#@}\"";
        Path file = config("[programs.n]\ncommand = " + shell("sleep 1; printf 'STATUS=warmed up\\nREADY=1' | " + send
                + "; exec sleep 600") + "\nready = \"notify\"\n\n"
                + "[programs.w]\ncommand = " + shell("printf 'READY=1' | " + send + "; for i in 1 2 3; do "
                + "printf 'WATCHDOG=1' | " + send + "; sleep 0.3; done; exec sleep 600") + "\nready = \"notify\"\n"
                + "watchdog = \"1500ms\"\n");
        try (RunningProcess s = sentinel(file)) {
            awaitStatus("n", " state=RUNNING ");
            assertTrue(ask("status n").contains(" ready=no "), ask("status n"));
            awaitStatus("n", " ready=yes ");
            assertEquals("warmed up", json("n").get("notify_status").asText());
            assertTrue(ask("status n").contains(" notify-status=warmed%20up"), ask("status n"));
            s.awaitStderr("sentinel\\[w\\]: sent SIGTERM to the tree \\(its watchdog ran out: no WATCHDOG=1 for 1.5s\\)",
                    WAIT);
            s.awaitStderr("sentinel\\[w\\]: started pid \\d+ \\(run 2, restart 1 after a silent watchdog", WAIT);
        }
    }

    @Test
    void anEssentialProgramsExitEndsSentinelWithItsStatus() throws IOException {
        Path file = config("[programs.side]\ncommand = " + shell("exec sleep 600") + "\n\n"
                + "[programs.main]\ncommand = " + shell("sleep 1; exit 3") + "\nessential = true\nrestart = \"never\"\n");
        try (RunningProcess s = sentinel(file)) {
            assertEquals(3, s.awaitExit(WAIT));
            assertTrue(s.stderr().stream().anyMatch(l -> l.contains("main is essential and has ended (status 3): "
                    + "stopping the others")), s.stderr().toString());
        }
    }

    @Test
    void checkConfigNamesACircle() throws IOException {
        Path file = config("[programs.web]\ncommand = \"sleep 1\"\nafter = [\"api\"]\n"
                + "[programs.api]\ncommand = \"sleep 1\"\nafter = [\"web\"]\n");
        try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel("check-config", file.toString()))) {
            assertEquals(2, s.awaitExit(WAIT));
            assertTrue(s.stderr().stream().anyMatch(l -> l.contains("programs.web.after: the start order goes in a "
                    + "circle: web → api → web")), s.stderr().toString());
        }
    }

    @Test
    void aTargetThatNeverAnswersAndACommandThatHangsCostOnlyTheirTimeout() throws IOException {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        servers.add(silent);
        List<Socket> accepted = new ArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(silent.accept());
                }
            } catch (IOException e) {
                // closed
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        Path hangPids = pidFiles.next();
        Path file = config("[programs.h]\ncommand = " + shell("exec sleep 600") + "\n[programs.h.check]\n"
                + "http = \"http://127.0.0.1:" + silent.getLocalPort() + "/\"\ntimeout = \"500ms\"\nperiod = \"1s\"\n"
                + "threshold = 2\nlevel = \"ready\"\n\n"
                + "[programs.x]\ncommand = " + shell("exec sleep 600") + "\n[programs.x.check]\n"
                + "exec = \"echo $$$$ >> " + hangPids + "; exec sleep 600\"\ntimeout = \"500ms\"\nperiod = \"1s\"\n"
                + "threshold = 2\nlevel = \"ready\"\n");
        try (RunningProcess s = sentinel(file)) {
            s.awaitStderr("sentinel\\[h\\]: check failed 2 times in a row: http .* \\(timed out after 500ms\\)", WAIT);
            s.awaitStderr("sentinel\\[x\\]: check failed 2 times in a row: exec .* \\(timed out after 500ms\\)", WAIT);
            long t0 = System.nanoTime();
            String status = ask("status");
            assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "the socket answers while checks hang");
            assertTrue(status.contains("h pid=") && status.contains(" state=RUNNING "), status);
        } finally {
            for (Socket a : accepted) {
                a.close();
            }
        }
    }
}
