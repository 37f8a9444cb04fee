package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentinel.cli.CtlCommand;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.Processes;
import dev.sentinel.testing.RunningProcess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Sentinel JVMs with real control sockets, driven by the clients users have: nc, socat,
 * {@code sentinel ctl}, and other users' processes.
 */
class ControlSocketEndToEndTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** "Returns at once": far above a healthy round trip, far below any timeout that could hide a hang. */
    private static final long PROMPT_MILLIS = 3000;

    @TempDir
    Path dir;

    private final List<RunningProcess> started = new ArrayList<>();

    @AfterEach
    void killEverything() {
        for (RunningProcess p : started) {
            p.close();
        }
    }

    @Test
    void netcatAndSocatGetTheirAnswerAndReturnAtOnce() throws Exception {
        Path socket = dir.resolve("s.sock");
        sentinel(socket, "sleep", "300");
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket, LinkOption.NOFOLLOW_LINKS)), "only the owner may connect");
        String s = socket.toString();
        boolean checked = false;
        if (ExternalTools.installed("nc")) {
            prompt("echo status | nc -U " + s, "sleep pid=\\d+ state=RUNNING .* socket=" + Pattern.quote(s) + "\n");
            prompt("echo PING | nc -N -U " + s, "pong\n");
            prompt("printf 'status json\\r\\n' | nc -U " + s, "\\{\"name\":\"sleep\",.*\"socket\":\"" + Pattern.quote(s)
                    + "\".*}\n");
            prompt("echo frobnicate | nc -U " + s, "ERR unknown command 'frobnicate'; try 'help'\n");
            checked = true;
        }
        if (ExternalTools.installed("socat")) {
            // -t 30: socat would wait 30 s for more after its input ends; it returns because Sentinel closes.
            prompt("echo ping | socat -t 30 - UNIX-CONNECT:" + s, "pong\n");
            prompt("echo version | socat - UNIX-CONNECT:" + s, "sentinel \\S+\n");
            checked = true;
        }
        assumeTrue(checked, "neither nc (netcat-openbsd) nor socat is installed");
    }

    @Test
    void sentinelCtlPrintsTheReplyAndExitsZeroOneOrTwo() throws Exception {
        Path socket = dir.resolve("c.sock");
        sentinel(socket, "sleep", "300");
        Ctl status = ctl("--socket", socket.toString(), "status");
        assertEquals(0, status.exit, status.err);
        assertTrue(status.out.matches("sleep pid=\\d+ state=RUNNING .*\n"), status.out);

        Ctl limit = ctl("-s", socket.toString(), "limit", "2G");
        assertEquals(0, limit.exit);
        assertEquals("OK limit of sleep changed from 512 MiB to 2 GiB\n", limit.out);

        Ctl bad = ctl("--socket", socket.toString(), "reboot");
        assertEquals(1, bad.exit);
        assertEquals("ERR unknown command 'reboot'; try 'help'\n", bad.err);
        assertEquals("", bad.out);

        Ctl nobody = ctl("--socket", dir.resolve("nothing.sock").toString(), "status");
        assertEquals(2, nobody.exit);
        assertEquals("sentinel ctl: no Sentinel answers at " + dir.resolve("nothing.sock")
                + " (there is no socket there).\n", nobody.err);

        Ctl usage = ctl("--socket", socket.toString());
        assertEquals(2, usage.exit);
        assertTrue(usage.err.startsWith("sentinel ctl: no command given"), usage.err);

        // And through the real entry point: 'sentinel ctl ...' is dispatched by Main.
        try (RunningProcess p = RunningProcess.start(JavaPrograms.sentinel("ctl", "--socket", socket.toString(),
                "ping"))) {
            assertEquals(0, p.awaitExit(WAIT));
            p.awaitStdout("^pong$", Duration.ofSeconds(5));
        }
    }

    @Test
    void aBusyChosenPathIsRefusedAndTheRunningSentinelIsUntouched() throws Exception {
        Path socket = dir.resolve("busy.sock");
        RunningProcess first = sentinel(socket, "sleep", "300");
        long child = pid(Clients.ask(socket, "status"));
        RunningProcess second = start(socket, "sleep", "300");
        assertEquals(2, second.awaitExit(WAIT));
        second.awaitStderr("^sentinel: another Sentinel is listening on " + Pattern.quote(socket.toString())
                + "; choose another path with --socket, or run without one with --no-socket$", Duration.ofSeconds(5));
        assertEquals("pong\n", Clients.ask(socket, "ping"));
        assertEquals(child, pid(Clients.ask(socket, "status")));
        assertTrue(first.process().isAlive());
    }

    @Test
    void aStaleSocketLeftByAKilledSentinelIsReplaced() throws Exception {
        Path socket = dir.resolve("stale.sock");
        RunningProcess first = sentinel(socket, "sleep", "300");
        long oldChild = pid(Clients.ask(socket, "status"));
        first.signal("KILL");
        first.awaitExit(WAIT);
        assertTrue(Files.exists(socket, LinkOption.NOFOLLOW_LINKS), "SIGKILL leaves the socket file behind");
        Await.until(WAIT, "the lifeline to kill the orphaned child", () -> !Processes.alive(oldChild));
        sentinel(socket, "sleep", "300");
        assertTrue(pid(Clients.ask(socket, "status")) != oldChild);
    }

    @Test
    void aFileThatIsNotASocketIsNeverDeleted() throws Exception {
        Path file = dir.resolve("precious.txt");
        Files.writeString(file, "do not delete");
        RunningProcess p = start(file, "sleep", "300");
        assertEquals(2, p.awaitExit(WAIT));
        p.awaitStderr("^sentinel: " + Pattern.quote(file + " exists and is not a socket (Sentinel never deletes it)"),
                Duration.ofSeconds(5));
        assertEquals("do not delete", Files.readString(file));
    }

    @Test
    void theSocketFileIsRemovedHoweverSentinelExits() throws Exception {
        Path ends = dir.resolve("ends.sock");
        RunningProcess byItself = sentinel(ends, "sh", "-c", "sleep 1.5");
        assertEquals(0, byItself.awaitExit(WAIT));
        assertFalse(Files.exists(ends, LinkOption.NOFOLLOW_LINKS), "removed when the child ended");

        Path term = dir.resolve("term.sock");
        RunningProcess signalled = sentinel(term, "sleep", "300");
        signalled.signal("TERM");
        assertEquals(128 + 15, signalled.awaitExit(WAIT));
        assertFalse(Files.exists(term, LinkOption.NOFOLLOW_LINKS), "removed after SIGTERM to Sentinel");

        Path stop = dir.resolve("stop.sock");
        RunningProcess stopped = sentinel(stop, "sleep", "300");
        String reply = Clients.ask(stop, "stop");
        assertTrue(reply.startsWith("OK sent SIGTERM to sleep"), reply);
        assertEquals(128 + 15, stopped.awaitExit(WAIT));
        assertFalse(Files.exists(stop, LinkOption.NOFOLLOW_LINKS), "removed after the stop order");
        stopped.awaitStderr("order 'stop' from uid \\d+ pid \\d+$", Duration.ofSeconds(5));
    }

    @Test
    void theDefaultPathFallsBackToAPerProcessPathWhenAnotherSentinelHoldsIt() throws Exception {
        Path def = ControlSettings.DEFAULT_PATH;
        assumeTrue(System.getenv("SENTINEL_SOCKET") == null, "SENTINEL_SOCKET is set");
        assumeTrue(!Files.exists(def, LinkOption.NOFOLLOW_LINKS), def + " is in use on this machine");
        RunningProcess first = null;
        RunningProcess second = null;
        try {
            first = track(RunningProcess.start(JavaPrograms.sentinel("--no-metrics", "--no-tui", "--", "sleep", "300")));
            Await.until(WAIT, "the first Sentinel on the default path", () -> answers(def));
            second = track(RunningProcess.start(JavaPrograms.sentinel("--no-metrics", "--no-tui", "--", "sleep", "300")));
            Path own = def.resolveSibling("sentinel-" + second.pid() + ".socket");
            second.awaitStderr("another Sentinel is listening on " + Pattern.quote(def.toString())
                    + "; this Sentinel listens on " + Pattern.quote(own.toString()), WAIT);
            Await.until(WAIT, "the second Sentinel on its own path", () -> answers(own));
            assertTrue(Clients.ask(own, "status").contains(" socket=" + own + "\n"));
            assertTrue(Clients.ask(def, "status").contains(" socket=" + def + "\n"));
            second.signal("TERM");
            second.awaitExit(WAIT);
            assertFalse(Files.exists(own, LinkOption.NOFOLLOW_LINKS));
            first.signal("TERM");
            first.awaitExit(WAIT);
            assertFalse(Files.exists(def, LinkOption.NOFOLLOW_LINKS));
        } finally {
            if (first != null) {
                first.close();
            }
            if (second != null) {
                second.close();
                removeIfStale(def.resolveSibling("sentinel-" + second.pid() + ".socket"));
            }
            removeIfStale(def);
        }
    }

    @Test
    void anotherUserIsRefusedWithOneErrLineEvenWhenTheModeLetsItConnect() throws Exception {
        assumeTrue(ExternalTools.isRoot() && ExternalTools.installed("setpriv") && ExternalTools.installed("nc"),
                "needs root, setpriv and nc");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path open = dir.resolve("open.sock");
        try (InProcessSentinel s = InProcessSentinel.at(open).mode(0666, null).guard("sleep", "300")) {
            ExternalTools.Run r = ExternalTools.sh("echo kill | setpriv --reuid=nobody --regid=nogroup --clear-groups "
                    + "nc -U " + open, WAIT);
            assertEquals("ERR permission denied: uid 65534 may not use this Sentinel (it runs as uid 0 and admits "
                    + "group 0)\n", r.stdout());
            assertTrue(s.running(), "the order was not carried out");
            assertEquals("pong\n", Clients.ask(open, "ping"));
            Await.until(WAIT, "a notice of the refusal", () -> s.eventMessages().stream()
                    .anyMatch(m -> m.startsWith("refused a control connection from uid 65534 pid ")));
        }
        Path group = dir.resolve("group.sock");
        try (InProcessSentinel s = InProcessSentinel.at(group).mode(0660, "nogroup").guard("sleep", "300")) {
            ExternalTools.Run r = ExternalTools.sh("echo ping | setpriv --reuid=nobody --regid=nogroup --clear-groups "
                    + "nc -U " + group, WAIT);
            assertEquals("pong\n", r.stdout(), "a member of the socket's group, let in on purpose");
            assertTrue(s.running());
        }
    }

    // ---- helpers

    private void prompt(String script, String expected) {
        ExternalTools.Run r = ExternalTools.sh(script, Duration.ofSeconds(20));
        assertEquals(0, r.exit(), script + ": " + r.stderr());
        assertTrue(r.stdout().matches("(?s)" + expected), script + " printed: " + r.stdout());
        assertTrue(r.millis() < PROMPT_MILLIS, script + " took " + r.millis() + " ms");
    }

    private RunningProcess start(Path socket, String... child) {
        List<String> args = new ArrayList<>(List.of("--socket", socket.toString(), "--no-metrics", "--no-tui",
                "-i", "100ms", "--"));
        args.addAll(List.of(child));
        return track(RunningProcess.start(JavaPrograms.sentinel(args.toArray(String[]::new))));
    }

    private RunningProcess sentinel(Path socket, String... child) {
        RunningProcess p = start(socket, child);
        Await.until(WAIT, () -> "Sentinel to answer on " + socket + "; stderr: " + p.stderr(), () -> answers(socket));
        return p;
    }

    private RunningProcess track(RunningProcess p) {
        started.add(p);
        return p;
    }

    private static boolean answers(Path socket) {
        try {
            return Clients.ask(socket, "ping").equals("pong\n");
        } catch (IOException | AssertionError e) {
            return false;
        }
    }

    private static void removeIfStale(Path socket) throws Exception {
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)
                && SocketBinder.probe(socket) == SocketBinder.Occupant.STALE_SOCKET) {
            Files.deleteIfExists(socket);
        }
    }

    private static long pid(String status) {
        Matcher m = Pattern.compile(" pid=(\\d+) ").matcher(status);
        assertTrue(m.find(), status);
        return Long.parseLong(m.group(1));
    }

    private record Ctl(int exit, String out, String err) {
    }

    private static Ctl ctl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CtlCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Ctl(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
