package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.PidFiles;
import dev.sentinel.testing.Processes;
import dev.sentinel.testing.RunningProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree cannot escape, end to end: a real Sentinel with real programs that double-fork away,
 * leave orphans, and run into the kernel's limit — with a cgroup per program (where this machine
 * gives one: root on cgroup v1 memory + v2) and with /proc alone ({@code --cgroup off}).
 */
class ContainmentTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

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

    private RunningProcess sentinel(List<String> options, String shellCommand) {
        List<String> args = new ArrayList<>(List.of("--no-tui", "--no-metrics", "--no-socket"));
        args.addAll(options);
        args.addAll(List.of("--", "sh", "-c", shellCommand));
        return RunningProcess.start(JavaPrograms.sentinel(args.toArray(String[]::new)));
    }

    private static void assumeCgroups() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")) && Files.isDirectory(
                Path.of("/sys/fs/cgroup/unified")) || Files.isWritable(Path.of("/sys/fs/cgroup/cgroup.procs")),
                "skipped: a cgroup per program needs root (or a delegated cgroup) and a cgroup file system; "
                        + "this test checks the kernel's part of it");
    }

    /**
     * A leaking worker that daemonizes: the subshell forks it into the background and exits at
     * once, the worker starts a session of its own: nothing of it is left in the program's
     * process group or session, and no sample sees its parent.
     */
    private String doubleForkedLeaker(Path pids) {
        return "( setsid " + String.join(" ", JavaPrograms.leaker("--leak", "200", "--max", "1G",
                "--pid-file", pids.toString())) + " >/dev/null 2>&1 & ) ; sleep 60";
    }

    private void aDoubleForkedLeakIsCaught(String cgroup) {
        Path pids = pidFiles.next();
        try (RunningProcess s = sentinel(List.of("--cgroup", cgroup, "-m", "150M", "-g", "1s"),
                doubleForkedLeaker(pids))) {
            s.awaitStderr("limit crossed: tree RSS .* > limit 150 MiB", WAIT);
            int status = s.awaitExit(WAIT);
            assertTrue(status == 143 || status == 137, "a memory stop, whatever the program says: " + status);
            assertTrue(Processes.pidsIn(pids).size() >= 1, "the daemon ran");
        }
    }

    @Test
    void aDoubleForkedDaemonStaysInItsCgroupAndIsStoppedWithTheTree() {
        assumeCgroups();
        aDoubleForkedLeakIsCaught("auto");
    }

    @Test
    void withoutACgroupTheSubreaperBringsTheDaemonBackToItsTree() {
        aDoubleForkedLeakIsCaught("off");
    }

    @Test
    void aSentinelThatIsKilledLeavesNoCgroupBehind() {
        assumeCgroups();
        RunningProcess s = sentinel(List.of("-m", "100M"), "sleep 60");
        try {
            java.util.regex.Matcher m = s.awaitStderr("; cgroup (\\S+)(?: \\+ (\\S+))?, kernel limit", WAIT);
            List<Path> dirs = new ArrayList<>();
            for (int g = 1; g <= 2; g++) {
                if (m.group(g) != null) {
                    dirs.add(Path.of(m.group(g)));
                    dirs.add(Path.of(m.group(g)).getParent());
                }
            }
            assertTrue(dirs.stream().allMatch(Files::isDirectory), dirs.toString());
            s.signal("KILL");
            Await.until(WAIT, () -> "the lifeline to kill the tree and remove " + dirs,
                    () -> dirs.stream().noneMatch(Files::exists));
        } finally {
            s.close();
        }
    }

    @Test
    void anOrphanThatEndsIsReapedNotLeftAZombie() {
        Path orphan = dir.resolve("orphan.pid");
        try (RunningProcess s = sentinel(List.of("--cgroup", "off", "-m", "1G"),
                "( sleep 0.3 & echo $! > " + orphan + " ) ; sleep 30")) {
            Await.until(WAIT, "the orphan's pid", () -> Processes.pidsIn(orphan).size() == 1);
            long pid = Processes.pidsIn(orphan).get(0);
            Await.until(WAIT, "the orphan to be gone, zombie and all", () -> !Files.exists(Path.of("/proc/" + pid)));
            assertTrue(s.process().isAlive(), "reaped while the program still runs");
        }
    }

    @Test
    void theKernelKillsAtTheKernelLimitAndSentinelReportsItAndKillsTheRest() {
        assumeCgroups();
        // tail holds a line that never ends: it grows until the kernel stops it at 64 MiB.
        try (RunningProcess s = sentinel(List.of("-m", "1G", "--kernel-limit", "64M"),
                "head -c 400M /dev/zero | tail > /dev/null; sleep 60")) {
            s.awaitStderr("kernel limit 64 MiB\\)$", WAIT);
            s.awaitStderr("the kernel killed pid \\d+ \\(tail, [0-9.]+ MiB\\) at the kernel limit 64 MiB", WAIT);
            s.awaitStderr("sent SIGKILL to the tree \\(the kernel killed pid \\d+ \\(tail", WAIT);
            assertEquals(137, s.awaitExit(WAIT));
        }
    }

    private static ProcessHandle tailOf(RunningProcess s) {
        return s.process().descendants().filter(h -> h.info().command().orElse("").endsWith("/tail")).findFirst()
                .orElse(null);
    }

    @Test
    void aProgramIgnoringSigtermCannotGrowThroughItsGracePeriod() {
        assumeCgroups();
        Path pids = pidFiles.next();
        long start = System.nanoTime();
        try (RunningProcess s = sentinel(List.of("-m", "100M", "-g", "20s"), String.join(" ",
                JavaPrograms.leaker("--leak", "100", "--max", "2G", "--ignore-term", "--pid-file", pids.toString())))) {
            s.awaitStderr("sent SIGTERM to the tree \\(memory limit exceeded\\); SIGKILL in 20s", WAIT);
            s.awaitStderr("the kernel killed pid \\d+ \\(java, [0-9.]+ MiB\\) at the kernel limit 116 MiB", WAIT);
            assertEquals(137, s.awaitExit(WAIT));
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 20,
                    "the kernel stopped the leak long before the 20 s grace was over");
            assertTrue(s.stderr().stream().noneMatch(l -> l.contains("grace period of 20s is over")), s.stderr().toString());
        }
    }

    @Test
    void aStoppedSentinelIsBackedByTheKernelAndReportsWhatItDidOnceResumed() throws InterruptedException {
        assumeCgroups();
        // The limit plus 10 %, at least 16 MiB more: 116 MiB, enforced while Sentinel cannot look.
        try (RunningProcess s = sentinel(List.of("-m", "100M"),
                "sleep 1; head -c 2G /dev/zero | tail > /dev/null; sleep 60")) {
            s.awaitStderr("kernel limit 116 MiB\\)$", WAIT);
            s.signal("STOP");
            try {
                // While Sentinel cannot look, tail starts, grows past both limits and the kernel kills it.
                Await.until(WAIT, "tail to start under a stopped Sentinel", () -> tailOf(s) != null);
                ProcessHandle tail = tailOf(s);
                Await.until(WAIT, "the kernel to kill tail", () -> !tail.isAlive());
            } finally {
                s.signal("CONT");
            }
            s.awaitStderr("the kernel killed .* at the kernel limit 116 MiB", WAIT);
            assertEquals(137, s.awaitExit(WAIT));
        }
    }
    /**
     * Root (or a program that makes cgroups of its own) moves a process of the tree out of the
     * program's cgroup. The kernel's limit no longer holds it, but it is still Sentinel's: it is
     * counted, crosses the limit on time, and its end is seen at once, not at the next full read.
     */
    @Test
    void aProcessMovedOutOfItsCgroupIsStillCaughtOnTime() throws Exception {
        assumeCgroups();
        Path pids = pidFiles.next();
        try (RunningProcess s = sentinel(List.of("-m", "200M", "-g", "10s"), "exec " + String.join(" ",
                JavaPrograms.leaker("--leak", "40", "--max", "1G", "--pid-file", pids.toString())))) {
            java.util.regex.Matcher started = s.awaitStderr(
                    "started pid (\\d+) .*cgroup (/\\S+?)(?: \\+ (/\\S+?))?, kernel limit", WAIT);
            String pid = started.group(1);
            Path procCgroup = Path.of("/proc", pid, "cgroup");
            int hierarchies = started.group(3) == null ? 1 : 2;
            // The launch places the process before it execs the program; moving it before that would be undone.
            Await.until(WAIT, "the leaker placed in its cgroups", () -> linesWith(procCgroup, "/sentinel-") == hierarchies);
            for (int g = 2; g <= 3; g++) {
                if (started.group(g) != null) {
                    // Out of the program's cgroup and out of Sentinel's: into the one Sentinel runs under.
                    Files.writeString(Path.of(started.group(g)).getParent().getParent().resolve("cgroup.procs"), pid);
                }
            }
            Await.until(WAIT, "the leaker out of the cgroups", () -> linesWith(procCgroup, "/sentinel-") == 0);
            double mib = Double.parseDouble(s.awaitStderr("limit crossed: tree RSS ([0-9.]+) MiB > limit 200 MiB",
                    WAIT).group(1));
            assertTrue(mib < 240, "crossed within a sample or two at 40 MiB/s, not at the next full read: " + mib);
            s.awaitStderr("sent SIGTERM to the tree \\(memory limit exceeded\\)", WAIT);
            long stopped = System.nanoTime();
            assertEquals(143, s.awaitExit(WAIT), String.join("\n", s.stderr()));
            assertTrue(Duration.ofNanos(System.nanoTime() - stopped).toMillis() < 3_000,
                    "its end was seen at once: " + String.join("\n", s.stderr()));
        }
    }

    private static long linesWith(Path file, String text) {
        try {
            return Files.readString(file).lines().filter(l -> l.contains(text)).count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
