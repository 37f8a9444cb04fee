package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.PidNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentinel as PID 1 of a pid namespace of its own, as in a container or a pod, on this host's
 * kernel ({@code unshare --pid --fork --mount-proc}; skipped where that cannot run): a SIGTERM
 * from outside (the kubelet's) stops every program in reverse order and Sentinel exits with the
 * documented status; orphans are reaped, so the namespace never holds a zombie; the only or the
 * essential program's status is Sentinel's; SIGINT, SIGHUP and SIGUSR1 reach the program; the
 * shutdown budget SIGKILLs what ignores SIGTERM. Every process of the namespace is read from the
 * host's /proc, and the namespace is empty once Sentinel has exited.
 *
 * <p>Programs run with {@code cgroup = off}: a pid namespace without a cgroup namespace names every
 * Sentinel "sentinel-1" in the host's cgroup tree, and this namespace's /proc cannot tell the host's
 * live Sentinels from dead ones (see docs/pid1.md). The cgroup paths are tested elsewhere.
 */
class Pid1NamespaceTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OWN = List.of("--no-tui", "--no-socket", "--no-metrics", "--cgroup", "off");

    @TempDir
    Path dir;

    private final List<PidNamespace> namespaces = new ArrayList<>();
    /** Every host pid seen in a namespace: none may be alive after the test. */
    private final Set<Long> seen = new HashSet<>();

    @BeforeAll
    static void namespacesCanBeMade() {
        String why = PidNamespace.unavailableWhy();
        assumeTrue(why == null, () -> "no pid namespace on this host, so Sentinel cannot be tested as PID 1: " + why);
    }

    @AfterEach
    void nothingOfTheNamespacesIsLeft() {
        namespaces.forEach(PidNamespace::close);
        Await.until(Duration.ofSeconds(10), () -> "every process of the namespaces gone: " + aliveOf(seen),
                () -> aliveOf(seen).isEmpty());
    }

    private static List<Long> aliveOf(Set<Long> pids) {
        return pids.stream().filter(p -> ProcessHandle.of(p).isPresent()).toList();
    }

    private PidNamespace sentinel(String... args) {
        List<String> command = new ArrayList<>(OWN);
        command.addAll(List.of(args));
        PidNamespace ns = PidNamespace.start(JavaPrograms.sentinel(command.toArray(String[]::new)));
        namespaces.add(ns);
        return ns;
    }

    private PidNamespace sentinelWithConfig(String sentinelKeys, String programs, String... args) throws IOException {
        Path file = dir.resolve("sentinel.toml");
        Files.writeString(file, "[sentinel]\nsocket = false\nmetrics = false\ncgroup = \"off\"\njournal = \""
                + journal() + "\"\n" + sentinelKeys + "\n" + programs);
        List<String> command = new ArrayList<>(List.of("--no-tui", "--config", file.toString()));
        command.addAll(List.of(args));
        PidNamespace ns = PidNamespace.start(JavaPrograms.sentinel(command.toArray(String[]::new)));
        namespaces.add(ns);
        return ns;
    }

    private Path journal() {
        return dir.resolve("journal");
    }

    /** A script in the test's directory, run by sh: {@code sh FILE}, as a command line for a file. */
    private String script(String name, String body) throws IOException {
        return "sh " + scriptFile(name, body);
    }

    private Path scriptFile(String name, String body) throws IOException {
        Path f = dir.resolve(name + ".sh");
        Files.writeString(f, body);
        return f;
    }

    private static void awaitStarted(PidNamespace ns, String... names) {
        for (String n : names) {
            ns.unshare().awaitStderr("sentinel\\[" + n + "\\]: started pid", WAIT);
        }
    }

    /** The namespace's processes now; each is remembered, to be gone after the test. */
    private List<PidNamespace.Member> look(PidNamespace ns) {
        List<PidNamespace.Member> m = ns.members();
        m.forEach(p -> seen.add(p.pid()));
        return m;
    }

    /** The journal's signal-sent events as "name SIGNAL", in order. */
    private List<String> signalsSent() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(journal())) {
            JsonNode e = JSON.readTree(line);
            if (e.path("kind").asText().equals("signal-sent")) {
                out.add(e.path("name").asText() + " " + e.path("signal").asText());
            }
        }
        return out;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int exitOf(PidNamespace ns) {
        return ns.unshare().awaitExit(WAIT);
    }

    // ---- a SIGTERM from outside

    @Test
    void sigtermFromOutsideStopsEveryProgramInReverseOrderAndExitsZero() throws IOException {
        Path order = dir.resolve("order");
        // web starts after api, api after db: they stop web, api, db, whatever their priorities
        // (by priority alone it would be api, db, web).
        StringBuilder programs = new StringBuilder();
        String[][] p = {{"db", "10", ""}, {"api", "20", "after = [\"db\"]\n"}, {"web", "5", "after = [\"api\"]\n"}};
        for (String[] d : p) {
            programs.append("[programs.").append(d[0]).append("]\ncommand = \"")
                    .append(script(d[0], "trap 'echo " + d[0] + " >> " + order + "; exit 0' TERM\n"
                            + "sleep 1000 &\nwait\n"))
                    .append("\"\npriority = ").append(d[1]).append('\n').append(d[2]).append('\n');
        }
        PidNamespace ns = sentinelWithConfig("", programs.toString());
        awaitStarted(ns, "db", "api", "web");
        List<PidNamespace.Member> before = look(ns);
        assertTrue(before.size() >= 4, "Sentinel, its lifeline and three programs: " + before);
        ns.signalInit("TERM");
        assertEquals(0, exitOf(ns), "an ordered shutdown is 0 (config.md#when-sentinel-exits)\n"
                + String.join("\n", ns.unshare().stderr()));
        assertEquals(List.of("web", "api", "db"), lines(order), "each program's own trap, in the order they ran");
        assertEquals(List.of("web SIGTERM", "api SIGTERM", "db SIGTERM"), signalsSent());
    }

    @Test
    void sigtermToOneCommandThatDoesNotCatchItIs143AsWithTini() {
        PidNamespace ns = sentinel("--", "sleep", "1000");
        awaitStarted(ns, "sleep");
        look(ns);
        ns.signalInit("TERM");
        assertEquals(143, exitOf(ns), "the program's own status: killed by SIGTERM");
    }

    // ---- signals forwarded

    @Test
    void sigintSighupAndSigusr1ReachTheOnlyProgramAndItsStatusIsSentinels() throws IOException {
        Path got = dir.resolve("got");
        Path app = scriptFile("app", "for s in HUP USR1; do trap \"echo $s >> " + got + "\" $s; done\n"
                + "trap 'echo INT >> " + got + "; exit 7' INT\n"
                + "echo ready >> " + got + "\n"
                + "while :; do sleep 1000 & wait; done\n");
        PidNamespace ns = sentinel("--name", "app", "--", "sh", app.toString());
        awaitStarted(ns, "app");
        // On a busy machine a signal can come before the shell has set its traps, and end it.
        Await.until(WAIT, "the program to set its traps", () -> lines(got).contains("ready"));
        look(ns);
        ns.signalInit("HUP");
        Await.until(WAIT, "SIGHUP reaches the program", () -> lines(got).contains("HUP"));
        ns.signalInit("USR1");
        Await.until(WAIT, "SIGUSR1 reaches the program", () -> lines(got).contains("USR1"));
        look(ns);
        ns.signalInit("INT");
        assertEquals(7, exitOf(ns), "SIGINT is the first tier; the program's own status is Sentinel's");
        assertEquals(List.of("ready", "HUP", "USR1", "INT"), lines(got));
    }

    // ---- exit status passed through

    @Test
    void theOnlyProgramsStatusIsSentinels() {
        PidNamespace three = sentinel("--", "sh", "-c", "sleep 0.2; exit 3");
        assertEquals(3, exitOf(three));
        PidNamespace killed = sentinel("--", "sh", "-c", "sleep 0.2; kill -9 $$");
        assertEquals(137, exitOf(killed), "killed by signal 9: 128 + 9");
    }

    @Test
    void anEssentialProgramsStatusIsSentinels() throws IOException {
        String programs = "[programs.app]\ncommand = \"sh -c 'sleep 1; exit 3'\"\nessential = true\nrestart = \"never\"\n\n"
                + "[programs.sidecar]\ncommand = \"sleep 1000\"\n";
        PidNamespace ns = sentinelWithConfig("", programs);
        awaitStarted(ns, "app", "sidecar");
        look(ns);
        assertEquals(3, exitOf(ns));
        assertEquals(List.of("sidecar SIGTERM"), signalsSent());
    }

    // ---- orphans reaped

    @Test
    void orphansAreReapedSoTheNamespaceNeverKeepsAZombie() throws IOException {
        Path spawned = dir.resolve("spawned");
        // Ten grandchildren orphaned at once (their parent exits), each ending a little later; and
        // a program that double-forks a daemon and exits itself.
        String parent = script("parent", "i=0\nwhile [ $i -lt 10 ]; do sh -c \"sleep 1.$i & exit 0\"; "
                + "i=$((i+1)); done\necho done > " + spawned + "\nexec sleep 1000\n");
        String daemon = script("daemon", "sh -c 'setsid sleep 1.5 & exit 0'\nexit 0\n");
        String programs = "[programs.parent]\ncommand = \"" + parent + "\"\n\n[programs.daemon]\ncommand = \""
                + daemon + "\"\nrestart = \"never\"\n";
        PidNamespace ns = sentinelWithConfig("", programs);
        awaitStarted(ns, "parent", "daemon");
        Await.until(WAIT, "the orphans are spawned", () -> Files.exists(spawned));
        long init = ns.initPid();
        // They live 1 to 1.9s: the look comes while they do.
        Await.until(WAIT, () -> "an orphan re-parented to Sentinel, PID 1: " + look(ns), () -> look(ns).stream()
                .anyMatch(m -> m.ppid() == init && m.state() != 'Z' && isOrphan(m.pid())));
        Await.until(WAIT, () -> "no orphan left and no zombie in the namespace: " + look(ns), () -> {
            List<PidNamespace.Member> now = look(ns);
            return now.stream().noneMatch(m -> m.state() == 'Z') && now.stream().noneMatch(m -> isOrphan(m.pid()));
        });
        ns.unshare().awaitStderr("sentinel\\[daemon\\]: exited", WAIT);
        // A zombie may stand for the moment between its exit and Sentinel's reap: within a second, none.
        Await.until(Duration.ofSeconds(5), () -> "no zombie after the daemon's end either: " + ns.zombies(),
                () -> ns.zombies().isEmpty());
        ns.signalInit("TERM");
        assertEquals(0, exitOf(ns));
    }

    /** The orphans: the grandchildren's {@code sleep 1.N} and the daemon's {@code sleep 1.5}. */
    private static boolean isOrphan(long pid) {
        return command(pid).startsWith("sleep 1.");
    }

    private static String command(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ')
                    .trim();
        } catch (IOException e) {
            return "";
        }
    }

    // ---- the shutdown budget

    @Test
    void theBudgetKillsEveryTreeLeftWhenAProgramIgnoresSigterm() throws IOException {
        String stubborn = script("stubborn", "trap '' TERM\nwhile :; do sleep 0.2; done\n");
        String programs = "[programs.db]\ncommand = \"sleep 1000\"\npriority = 10\n\n[programs.stubborn]\ncommand = \""
                + stubborn + "\"\npriority = 20\ngrace = \"60s\"\n";
        PidNamespace ns = sentinelWithConfig("", programs, "--shutdown-timeout", "2s");
        awaitStarted(ns, "db", "stubborn");
        ns.unshare().awaitStderr("sentinel\\[stubborn\\]: grace 1m is longer than the shutdown budget of 2s", WAIT);
        look(ns);
        long sent = System.nanoTime();
        ns.signalInit("TERM");
        int status = exitOf(ns);
        double took = (System.nanoTime() - sent) / 1e9;
        assertEquals(0, status, "an ordered shutdown is 0, even when its budget ran out");
        assertTrue(took >= 1.9 && took < 10, "SIGKILL at the budget's 2s, then out: took " + took + "s");
        List<String> signals = signalsSent().stream().distinct().toList();
        assertEquals("stubborn SIGTERM", signals.get(0), "db waits for stubborn to be gone: " + signals);
        assertEquals(Set.of("stubborn SIGKILL", "db SIGKILL"), Set.copyOf(signals.subList(1, signals.size())),
                "once spent, every tree left, its turn come or not");
        assertTrue(String.join("\n", ns.unshare().stderr()).contains(
                "shutdown budget of 2s (shutdown_timeout) spent: SIGKILL to 2 trees left"), ns.unshare().stderr()
                .toString());
    }

    @Test
    void theBudgetOfOneCommandWinsOverItsGrace() throws IOException {
        Path stubborn = scriptFile("stubborn", "trap '' TERM\nwhile :; do sleep 0.2; done\n");
        PidNamespace ns = sentinel("--grace", "60s", "--shutdown-timeout", "2s", "--name", "stubborn", "--",
                "sh", stubborn.toString());
        awaitStarted(ns, "stubborn");
        look(ns);
        long sent = System.nanoTime();
        ns.signalInit("TERM");
        int status = exitOf(ns);
        double took = (System.nanoTime() - sent) / 1e9;
        assertEquals(137, status, "the program's own status: SIGKILL");
        assertTrue(took >= 1.9 && took < 10, "took " + took + "s");
    }
}
