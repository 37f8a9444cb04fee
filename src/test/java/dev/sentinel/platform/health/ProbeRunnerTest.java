package dev.sentinel.platform.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import dev.sentinel.platform.CommandResolver;
import dev.sentinel.platform.Libc;
import dev.sentinel.platform.LibcSignaller;
import dev.sentinel.platform.SetsidLauncher;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.PidFiles;
import dev.sentinel.testing.Processes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks against real servers and real processes: every one reports once, in time, in a few words. */
class ProbeRunnerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration SHORT = Duration.ofMillis(300);
    /** What a check may take beyond its timeout on a busy machine, and still be "in time". */
    private static final Duration SLACK = Duration.ofSeconds(1);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    private SetsidLauncher launcher;
    private final LibcSignaller signaller = new LibcSignaller(new Libc());
    private ProbeRunner runner;
    private PidFiles pidFiles;
    private final List<Run> runs = new ArrayList<>();
    private final List<AutoCloseable> servers = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        CommandResolver resolver = CommandResolver.fromEnvironment();
        launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), false);
        runner = new ProbeRunner(launcher, signaller, 4);
        pidFiles = new PidFiles(dir);
    }

    @AfterEach
    void stop() throws Exception {
        // close() waits for the checks under way, so any second call of done would have come by now.
        runner.close();
        for (AutoCloseable s : servers) {
            s.close();
        }
        launcher.close();
        pidFiles.assertNoneLeft(Duration.ofSeconds(5));
        for (Run r : runs) {
            assertEquals(1, r.results.size(), () -> "done calls of " + r.probe + ": " + r.results);
        }
    }

    // ---- http ------------------------------------------------------------------------------

    @Test
    void httpPassesOn2xxAnd3xxAndFailsOn5xxWithoutFollowingTheRedirect() throws Exception {
        AtomicInteger redirected = new AtomicInteger();
        HttpServer server = httpServer();
        server.createContext("/ok", x -> answer(x, 200));
        server.createContext("/broken", x -> answer(x, 500));
        server.createContext("/moved", x -> {
            x.getResponseHeaders().add("Location", "/elsewhere");
            answer(x, 302);
        });
        server.createContext("/elsewhere", x -> {
            redirected.incrementAndGet();
            answer(x, 500);
        });

        ProbeResult ok = run(http(server, "/ok"), Duration.ofSeconds(5)).await();
        ProbeResult broken = run(http(server, "/broken"), Duration.ofSeconds(5)).await();
        ProbeResult moved = run(http(server, "/moved"), Duration.ofSeconds(5)).await();

        assertResult(true, "HTTP 200", ok);
        assertResult(false, "HTTP 500", broken);
        assertResult(true, "HTTP 302", moved);
        assertEquals(0, redirected.get());
        assertTrue(ok.nanos() > 0);
    }

    @Test
    void theRequestIsAPlainGetOfThePathAndQueryWithTheUsualHeaders() throws Exception {
        AtomicReference<String> target = new AtomicReference<>();
        AtomicReference<Headers> headers = new AtomicReference<>();
        HttpServer server = httpServer();
        server.createContext("/", x -> {
            target.set(x.getRequestMethod() + " " + x.getRequestURI().toString());
            headers.set(x.getRequestHeaders());
            answer(x, 204);
        });
        int port = server.getAddress().getPort();

        ProbeResult r = run(new Probe.Http(URI.create("http://127.0.0.1:" + port + "/health/a%20b?deep=1&x=y#top")),
                Duration.ofSeconds(5)).await();

        assertResult(true, "HTTP 204", r);
        assertEquals("GET /health/a%20b?deep=1&x=y", target.get());
        assertEquals("127.0.0.1:" + port, headers.get().getFirst("Host"));
        assertEquals("sentinel-check", headers.get().getFirst("User-Agent"));
        assertEquals("close", headers.get().getFirst("Connection"));
        assertEquals("*/*", headers.get().getFirst("Accept"));
    }

    @Test
    void aServerThatNeverAnswersTimesOutInAboutTheTimeout() throws Exception {
        // The kernel completes the connection from the backlog; nobody ever reads or writes.
        ServerSocket silent = serverSocket(50);

        Run run = run(new Probe.Http(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/")), SHORT);
        ProbeResult r = run.await();

        assertResult(false, "timed out after 300ms", r);
        assertInTime(run, SHORT);
        assertTrue(r.nanos() >= SHORT.toNanos() - Duration.ofMillis(5).toNanos(), () -> "took " + r.nanos() + " ns");
    }

    @Test
    void aServerThatTricklesBytesCannotStretchTheCheckPastItsTimeout() throws Exception {
        // One byte each 50 ms, never a newline: each read is quick, the whole is endless.
        ServerSocket trickle = serve(out -> {
            while (true) {
                out.write('x');
                out.flush();
                Thread.sleep(50);
            }
        });
        Duration timeout = Duration.ofMillis(500);

        Run run = run(new Probe.Http(URI.create("http://127.0.0.1:" + trickle.getLocalPort() + "/")), timeout);

        assertResult(false, "timed out after 500ms", run.await());
        assertInTime(run, timeout);
    }

    @Test
    void endlessBytesWithoutANewlineAreNoStatusLine() throws Exception {
        byte[] flood = new byte[100 * 1024];
        Arrays.fill(flood, (byte) 'H');
        ServerSocket server = serve(out -> out.write(flood));

        assertResult(false, "no status line", run(new Probe.Http(URI.create("http://127.0.0.1:"
                + server.getLocalPort() + "/")), Duration.ofSeconds(5)).await());
    }

    @Test
    void aReplyThatIsNotHttpIsShownCutAndWithoutItsControlCharacters() throws Exception {
        ServerSocket ssh = serve(out -> out.write("SSH-2.0-OpenSSH_9.2p1\r\n".getBytes(StandardCharsets.US_ASCII)));
        ServerSocket noisy = serve(out -> out.write(("\u001b[31mHELLO\u0007\u0000 from a terminal that goes on and on "
                + "and on\n").getBytes(StandardCharsets.ISO_8859_1)));

        assertResult(false, "not HTTP: SSH-2.0-OpenSSH_9.2p1",
                run(new Probe.Http(URI.create("http://127.0.0.1:" + ssh.getLocalPort() + "/")), Duration.ofSeconds(5))
                        .await());
        assertResult(false, "not HTTP: ?[31mHELLO?? from a terminal that goes o\u2026",
                run(new Probe.Http(URI.create("http://127.0.0.1:" + noisy.getLocalPort() + "/")),
                        Duration.ofSeconds(5)).await());
    }

    @Test
    void aClosedPortIsConnectionRefused() throws Exception {
        int port = closedPort();

        assertResult(false, "connection refused",
                run(new Probe.Http(URI.create("http://127.0.0.1:" + port + "/")), Duration.ofSeconds(5)).await());
    }

    @Test
    void anUnknownHostIsNamed() {
        assertResult(false, "unknown host no-such-host.invalid",
                run(new Probe.Http(URI.create("http://no-such-host.invalid/")), Duration.ofSeconds(10)).await());
    }

    @Test
    void httpsToAServerThatAnswersInPlainTextIsATlsFailure() throws Exception {
        ServerSocket plain = serve(out -> out.write("HTTP/1.1 400 Bad Request\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII)));

        ProbeResult r = run(new Probe.Http(URI.create("https://127.0.0.1:" + plain.getLocalPort() + "/")),
                Duration.ofSeconds(5)).await();

        assertResult(false, "TLS: Unsupported or unrecognized SSL message", r);
    }

    @Test
    void theTlsHandshakeIsBoundedByTheTimeoutToo() throws Exception {
        ServerSocket silent = serverSocket(50);

        Run run = run(new Probe.Http(URI.create("https://127.0.0.1:" + silent.getLocalPort() + "/")), SHORT);

        assertResult(false, "timed out after 300ms", run.await());
        assertInTime(run, SHORT);
    }

    @Test
    void notAnHttpUrlFails() {
        assertResult(false, "not an http or https URL: ftp://127.0.0.1/",
                run(new Probe.Http(URI.create("ftp://127.0.0.1/")), Duration.ofSeconds(5)).await());
    }

    // ---- tcp -------------------------------------------------------------------------------

    @Test
    void tcpConnectsOrIsRefused() throws Exception {
        ServerSocket open = serverSocket(50);
        int closed = closedPort();

        assertResult(true, "connected", run(new Probe.Tcp("127.0.0.1", open.getLocalPort()), Duration.ofSeconds(5))
                .await());
        assertResult(true, "connected", run(new Probe.Tcp("localhost", open.getLocalPort()), Duration.ofSeconds(5))
                .await());
        assertResult(false, "connection refused", run(new Probe.Tcp("127.0.0.1", closed), Duration.ofSeconds(5))
                .await());
        assertResult(false, "unknown host no-such-host.invalid",
                run(new Probe.Tcp("no-such-host.invalid", 80), Duration.ofSeconds(10)).await());
    }

    @Test
    void aProbeThatThrowsFailsWithTheExceptionsWords() {
        assertResult(false, "port out of range:70000", run(new Probe.Tcp("127.0.0.1", 70000), Duration.ofSeconds(5))
                .await());
    }

    // ---- exec ------------------------------------------------------------------------------

    @Test
    void execPassesOnExit0AndFailsWithTheStatusAndTheFirstLine() {
        assertResult(true, "exit 0", run(exec("true"), Duration.ofSeconds(10)).await());
        assertResult(false, "exit 3: oops", run(exec("sh", "-c", "echo oops; exit 3"), Duration.ofSeconds(10)).await());
        assertResult(false, "exit 1: from stderr",
                run(exec("sh", "-c", "echo '   ' >&2; echo '  from stderr  ' >&2; echo later >&2; exit 1"),
                        Duration.ofSeconds(10)).await());
        assertResult(false, "exit 4", run(exec("sh", "-c", "exit 4"), Duration.ofSeconds(10)).await());
        assertResult(false, "killed by SIGKILL", run(exec("sh", "-c", "kill -KILL $$"), Duration.ofSeconds(10)).await());
    }

    @Test
    void aLongFirstLineIsCutAndItsControlCharactersReplaced() {
        ProbeResult r = run(exec("sh", "-c", "printf '\\033[1m%0400d\\n' 7; exit 2"), Duration.ofSeconds(10)).await();

        assertFalse(r.passed());
        assertTrue(r.detail().startsWith("exit 2: ?[1m0000"), r.detail());
        assertEquals("exit 2: ".length() + ExecProbe.LINE_CHARS, r.detail().length(), r.detail());
        assertTrue(r.detail().endsWith("\u2026"), r.detail());
    }

    @Test
    void execRunsInItsDirectoryWithItsEnvironment() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));

        ProbeResult r = run(new Probe.Exec(List.of("sh", "-c", "echo \"$(pwd) $CHECK_WORD\"; exit 5"), work,
                Map.of("CHECK_WORD", "hello")), Duration.ofSeconds(10)).await();

        assertResult(false, "exit 5: " + work.toRealPath() + " hello", r);
    }

    @Test
    void aHangingCommandIsKilledAtTheTimeout() {
        Duration timeout = Duration.ofSeconds(1);
        Run run = run(exec("sleep", "60"), timeout);
        AtomicReference<ProcessHandle> sleep = new AtomicReference<>();
        Await.until(WAIT, "sleep 60 runs", () -> ourChildren("sleep", "60").stream().findFirst()
                .map(p -> sleep.compareAndSet(null, p)).orElse(false));

        assertResult(false, "timed out after 1s", run.await());
        assertInTime(run, timeout);
        Await.until(WAIT, "sleep 60 is gone", () -> !sleep.get().isAlive());
    }

    @Test
    void theWholeProcessGroupOfAHangingCheckIsKilled() throws Exception {
        Path pids = pidFiles.next();
        Duration timeout = Duration.ofSeconds(2);
        Run run = run(exec("sh", "-c", "sleep 60 & echo $! > " + pids + ".tmp; sleep 60 & echo $! >> " + pids + ".tmp; "
                + "echo $$ >> " + pids + ".tmp; mv " + pids + ".tmp " + pids + "; wait"), timeout);
        Await.until(WAIT, "the check's pids", () -> Processes.pidsIn(pids).size() == 3);
        long leader = Processes.pidsIn(pids).get(2);
        for (long pid : Processes.pidsIn(pids)) {
            assertEquals(leader, Processes.pgid(pid), "pid " + pid + " is in the check's group");
        }

        assertResult(false, "timed out after 2s", run.await());
        assertInTime(run, timeout);
        Await.until(WAIT, () -> "the group is gone: " + groupMembers(leader), () -> groupMembers(leader).isEmpty());
    }

    @Test
    void aGroupThatIgnoresSigtermIsKilledASecondLater() throws Exception {
        Path pids = pidFiles.next();
        Run run = run(exec("sh", "-c", "trap '' TERM; sleep 60 & echo $! > " + pids + ".tmp; echo $$ >> " + pids
                + ".tmp; mv " + pids + ".tmp " + pids + "; wait; wait"), Duration.ofMillis(500));
        Await.until(WAIT, "the check's pids", () -> Processes.pidsIn(pids).size() == 2);
        long leader = Processes.pidsIn(pids).get(1);

        assertResult(false, "timed out after 500ms", run.await());
        assertInTime(run, Duration.ofMillis(500));
        // The result comes at the SIGTERM, which they ignore; SIGKILL follows a second later.
        assertFalse(groupMembers(leader).isEmpty(), "the group outlives its SIGTERM");
        Await.until(WAIT, () -> "the group is gone: " + groupMembers(leader), () -> groupMembers(leader).isEmpty());
    }

    @Test
    void aCommandThatCannotBeRunFailsSayingWhy() throws Exception {
        assertResult(false, "no-such-command-for-sentinel: command not found (searched PATH)",
                run(exec("no-such-command-for-sentinel"), Duration.ofSeconds(5)).await());
        Path notExecutable = Files.writeString(dir.resolve("check.sh"), "exit 0\n");
        assertResult(false, notExecutable + ": permission denied (not executable)",
                run(exec(notExecutable.toString()), Duration.ofSeconds(5)).await());
    }

    // ---- the runner ------------------------------------------------------------------------

    @Test
    void doneComesOnACheckThreadAndRunReturnsAtOnce() throws Exception {
        ServerSocket open = serverSocket(50);

        Run run = run(new Probe.Tcp("127.0.0.1", open.getLocalPort()), Duration.ofSeconds(5));

        assertResult(true, "connected", run.await());
        assertTrue(run.thread.get().startsWith("sentinel-check-"), run.thread.get());
        assertTrue(run.daemon);
    }

    @Test
    void checksThatDoNotOverlapKeepOneThread() throws Exception {
        ServerSocket open = serverSocket(50);

        List<String> threads = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Run run = run(new Probe.Tcp("127.0.0.1", open.getLocalPort()), Duration.ofSeconds(5));
            run.await();
            threads.add(run.thread.get());
            // Checks of one program come an interval apart, not in the moment after done.
            Await.until(WAIT, "the check thread free again", runner::idle);
        }

        assertEquals(List.of("sentinel-check-1"), threads.stream().distinct().toList());
    }

    @Test
    void noMoreThanMaxThreadsRunChecksAndTheRestWaitTheirTurn() throws Exception {
        ServerSocket full = fullBacklog();
        Duration timeout = Duration.ofMillis(500);

        long before = System.nanoTime();
        List<Run> hanging = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            hanging.add(run(new Probe.Tcp("127.0.0.1", full.getLocalPort()), timeout));
        }
        long submitting = System.nanoTime() - before;
        AtomicInteger most = new AtomicInteger();
        Await.until(WAIT, "all 20 checks done", () -> {
            most.accumulateAndGet(checkThreads(), Math::max);
            return hanging.stream().allMatch(r -> !r.results.isEmpty());
        });

        assertEquals(4, most.get(), "the most sentinel-check threads alive at once");
        for (Run r : hanging) {
            assertResult(false, "timed out after 500ms", r.await());
        }
        assertTrue(submitting < Duration.ofSeconds(1).toNanos(), "20 runs took " + submitting + " ns to submit");
    }

    @Test
    void aDoneThatThrowsIsCalledOnceAndTheRunnerGoesOn() throws Exception {
        ServerSocket open = serverSocket(50);
        AtomicInteger calls = new AtomicInteger();

        runner.run(new Probe.Tcp("127.0.0.1", open.getLocalPort()), Duration.ofSeconds(5), r -> {
            calls.incrementAndGet();
            throw new IllegalStateException("the caller's bug");
        });
        Await.until(WAIT, "the throwing done called", () -> calls.get() > 0);

        assertResult(true, "connected", run(new Probe.Tcp("127.0.0.1", open.getLocalPort()), Duration.ofSeconds(5))
                .await());
        assertEquals(1, calls.get());
    }

    @Test
    void afterCloseARunFailsAtOnce() {
        runner.close();

        Run run = run(new Probe.Tcp("127.0.0.1", 1), Duration.ofSeconds(5));

        assertEquals(1, run.results.size(), "called before run returned");
        assertResult(false, "sentinel is shutting down", run.results.get(0));
        assertEquals(Thread.currentThread().getName(), run.thread.get());
    }

    @Test
    void closeFailsTheWaitingChecksAndKillsTheExecUnderWay() throws Exception {
        runner.close();
        runner = new ProbeRunner(launcher, signaller, 1);
        Path pids = pidFiles.next();
        Run hanging = run(exec("sh", "-c", "echo $$ > " + pids + ".tmp; mv " + pids + ".tmp " + pids
                + "; exec sleep 60"), Duration.ofSeconds(30));
        Run waiting = run(new Probe.Tcp("127.0.0.1", 1), Duration.ofSeconds(5));
        Await.until(WAIT, "the exec check runs", () -> Processes.pidsIn(pids).size() == 1);
        long pid = Processes.pidsIn(pids).get(0);

        long before = System.nanoTime();
        runner.close();
        long closing = System.nanoTime() - before;

        assertResult(false, "sentinel is shutting down", waiting.await());
        assertResult(false, "sentinel is shutting down", hanging.await());
        Await.until(WAIT, "the exec check's process is gone", () -> !Processes.alive(pid));
        assertTrue(closing < ProbeRunner.CLOSE_WAIT.toNanos(), "close took " + closing + " ns");
    }

    // ---- helpers ---------------------------------------------------------------------------

    /** One run's calls of done, and when and where they came. */
    private static final class Run implements Consumer<ProbeResult> {
        final Probe probe;
        final long startNanos = System.nanoTime();
        final List<ProbeResult> results = new CopyOnWriteArrayList<>();
        final AtomicReference<String> thread = new AtomicReference<>();
        volatile boolean daemon;
        volatile long doneNanos;

        Run(Probe probe) {
            this.probe = probe;
        }

        @Override
        public void accept(ProbeResult r) {
            doneNanos = System.nanoTime();
            thread.compareAndSet(null, Thread.currentThread().getName());
            daemon = Thread.currentThread().isDaemon();
            results.add(r);
        }

        ProbeResult await() {
            Await.until(WAIT, "the result of " + probe, () -> !results.isEmpty());
            return results.get(0);
        }
    }

    private Run run(Probe probe, Duration timeout) {
        Run run = new Run(probe);
        runs.add(run);
        runner.run(probe, timeout, run);
        return run;
    }

    private static void assertResult(boolean passed, String detail, ProbeResult r) {
        assertEquals(detail, r.detail());
        assertEquals(passed, r.passed(), r.toString());
    }

    /** Done came within the timeout and what a busy machine may add; never a tight bound. */
    private static void assertInTime(Run run, Duration timeout) {
        long took = run.doneNanos - run.startNanos;
        assertTrue(took < timeout.plus(SLACK).toNanos(), "done came " + took / 1_000_000 + " ms after run");
    }

    private static Probe.Exec exec(String... argv) {
        return new Probe.Exec(List.of(argv), null, Map.of());
    }

    private static Probe.Http http(HttpServer server, String path) {
        return new Probe.Http(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path));
    }

    private HttpServer httpServer() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 16);
        server.start();
        servers.add(() -> server.stop(0));
        return server;
    }

    private static void answer(com.sun.net.httpserver.HttpExchange x, int status) throws IOException {
        x.sendResponseHeaders(status, -1);
        x.close();
    }

    private ServerSocket serverSocket(int backlog) throws IOException {
        ServerSocket s = new ServerSocket(0, backlog, LOOPBACK);
        servers.add(s);
        return s;
    }

    /** A port nothing listens on: bound, then let go. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            return s.getLocalPort();
        }
    }

    private interface Reply {
        void write(OutputStream out) throws Exception;
    }

    /** A server that writes {@code reply} to each connection, then holds it until the test ends. */
    private ServerSocket serve(Reply reply) throws IOException {
        ServerSocket server = serverSocket(50);
        List<Socket> held = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    held.add(s);
                    reply.write(s.getOutputStream());
                } catch (Exception e) {
                    // The check hung up (reset), or the test ended.
                }
            }
        }, "test-server");
        t.setDaemon(true);
        t.start();
        servers.add(() -> {
            server.close();
            for (Socket s : held) {
                s.close();
            }
            t.join(WAIT.toMillis());
        });
        return server;
    }

    /**
     * A listening socket that never accepts, its accept queue filled: Linux drops the SYNs of any
     * further connect, so a connect to it hangs until its timeout.
     */
    private ServerSocket fullBacklog() throws IOException {
        ServerSocket server = serverSocket(1);
        for (int i = 0; i < 16; i++) {
            Socket filler = new Socket();
            servers.add(filler);
            try {
                filler.connect(server.getLocalSocketAddress(), 500);
            } catch (SocketTimeoutException e) {
                return server;
            }
        }
        throw new AssertionError("the backlog never filled");
    }

    private static int checkThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("sentinel-check-")).count();
    }

    /** The live processes in group {@code pgid}, from /proc. */
    private static List<Long> groupMembers(long pgid) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong).filter(pid -> Processes.pgid(pid) == pgid && Processes.alive(pid)).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** This JVM's live children running {@code command} with exactly {@code args}. */
    private static List<ProcessHandle> ourChildren(String command, String... args) {
        return ProcessHandle.current().children().filter(p -> p.info().command().map(c -> c.endsWith("/" + command))
                .orElse(false) && p.info().arguments().map(a -> Arrays.equals(a, args)).orElse(false)).toList();
    }
}
