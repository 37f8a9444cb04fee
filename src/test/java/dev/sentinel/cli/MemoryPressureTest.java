package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentinel itself under memory pressure: it runs in a v1 memory cgroup of this host whose limit a
 * hog beside it (not guarded, same cgroup) holds most of, so the cgroup sits at its limit and the
 * kernel reclaims what it can of Sentinel's pages (with no swap: its file-backed ones, the JVM's
 * code and the class files). A leaker in Sentinel's tree must still be stopped, by its own limit
 * or by the container-limit guard, and the socket must still answer.
 */
class MemoryPressureTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long MIB = 1 << 20;
    private static final long HOG_MIB = 150;
    /** Room left above the anonymous memory of Sentinel and the hog: the leaker's JVM and its 60 MiB, little more. */
    private static final long LEAKER_MIB = 130;

    @TempDir
    Path dir;

    private Path cgroup;
    private final List<RunningProcess> started = new ArrayList<>();

    @BeforeEach
    void makeTheCgroup() throws IOException {
        Path own = ContainerLimitTest.ownV1MemoryCgroup();
        Assumptions.assumeTrue(own != null && Files.isWritable(own),
                "skipped: needs root and a cgroup v1 memory hierarchy (this host's shape) to put Sentinel under pressure");
        cgroup = own.resolve("sentinel-test-pressure-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100000);
        Files.createDirectory(cgroup);
        // Roomy at first, so Sentinel starts (and reads its container limit) as it would; pulled down later.
        Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(1024 * MIB));
    }

    @AfterEach
    void removeTheCgroup() throws Exception {
        for (RunningProcess p : started) {
            p.close();
        }
        if (cgroup == null) {
            return;
        }
        Await.until(Duration.ofSeconds(20), "the pressure cgroup is empty", () -> read("cgroup.procs").isBlank());
        Files.delete(cgroup);
    }

    private String read(String file) {
        try {
            return Files.readString(cgroup.resolve(file)).trim();
        } catch (IOException e) {
            return "";
        }
    }

    private long number(String file, String key) {
        for (String line : read(file).split("\n")) {
            if (key == null) {
                return Long.parseLong(line.trim());
            }
            if (line.startsWith(key + " ")) {
                return Long.parseLong(line.substring(key.length() + 1).trim());
            }
        }
        return -1;
    }

    /** {@code command} started inside the cgroup: the shell enters it, then execs. */
    private RunningProcess inTheCgroup(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "echo $$ > \"$0\"/cgroup.procs && exec \"$@\"",
                cgroup.toString()));
        cmd.addAll(command);
        RunningProcess p = RunningProcess.start(cmd);
        started.add(p);
        return p;
    }

    private static long majorFaults(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[9]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String shellQuoted(List<String> words) {
        return words.stream().map(w -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" "));
    }

    @Test
    void sentinelAtItsCgroupsLimitStillStopsALeakerAndAnswersItsSocket() throws Exception {
        Path socket = dir.resolve("s.sock");
        Path go = dir.resolve("go");
        List<String> args = new ArrayList<>(List.of("--no-tui", "--no-metrics", "--cgroup", "off", "--socket",
                socket.toString(), "-m", "60M", "-g", "2s", "--", "sh", "-c",
                "while [ ! -e '" + go + "' ]; do sleep 0.1; done; exec " + shellQuoted(JavaPrograms.leaker("--leak", "20"))));
        RunningProcess s = inTheCgroup(JavaPrograms.sentinel(args.toArray(String[]::new)));
        Await.until(WAIT, () -> "the socket answers:\n" + String.join("\n", s.stderr()),
                () -> ask(socket, "status").contains("state=RUNNING"));
        // The hog beside Sentinel holds anonymous memory (no swap: it stays); the limit is pulled down
        // to that plus room for the leaker to come; then a file written from inside the cgroup fills
        // the rest with page cache. The cgroup sits at its limit: every page Sentinel or the leaker
        // takes now is a reclaim first (memory.failcnt counts them).
        RunningProcess hog = inTheCgroup(JavaPrograms.leaker("--leak", "200", "--max", HOG_MIB + "M", "--report", "200ms"));
        hog.awaitStderr("leaker pid=\\d+ rss=(1[5-9]\\d|[2-9]\\d\\d)", WAIT);
        long anon = number("memory.stat", "total_rss");
        long limit = anon + LEAKER_MIB * MIB;
        Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(limit));
        RunningProcess dd = inTheCgroup(List.of("dd", "if=/dev/zero", "of=" + dir.resolve("cache"), "bs=1M",
                "count=" + (2 * LEAKER_MIB)));
        assertEquals(0, dd.awaitExit(WAIT), "dd wrote the page cache: " + dd.stderr());
        long cacheBefore = number("memory.stat", "total_cache");
        long failsBefore = number("memory.failcnt", null);
        long faultsBefore = majorFaults(s.pid());
        long slowest = 0;
        for (int i = 0; i < 10; i++) {
            long t0 = System.nanoTime();
            assertTrue(ask(socket, "status").contains("state=RUNNING"), "status answers under pressure");
            slowest = Math.max(slowest, (System.nanoTime() - t0) / 1_000_000);
        }
        Files.writeString(go, "");
        s.awaitStderr("sent SIG(TERM|KILL) to the tree \\((memory limit exceeded|container limit near)\\)", WAIT);
        long faultsAfter = majorFaults(s.pid());
        int status = s.awaitExit(WAIT);
        long fails = number("memory.failcnt", null);
        System.out.println("MemoryPressureTest: anonymous " + anon / MIB + " MiB with the hog, page cache "
                + cacheBefore / MIB + " MiB; limit pulled down to " + limit / MIB + " MiB; failcnt " + failsBefore
                + " then " + fails + "; Sentinel's major faults " + faultsBefore + " then " + faultsAfter
                + "; slowest status " + slowest + " ms; oom kills " + number("memory.oom_control", "oom_kill")
                + "; exit " + status);
        System.out.println(String.join("\n", s.stderr()));
        assertTrue(failsBefore > 0 && fails > failsBefore, "the cgroup sat at its limit while the leaker grew (failcnt "
                + failsBefore + " then " + fails + "): the pressure was real");
        Matcher crossed = Pattern.compile("limit crossed: tree RSS ([0-9.]+) MiB > limit 60 MiB")
                .matcher(String.join("\n", s.stderr()));
        if (crossed.find()) {
            assertTrue(Double.parseDouble(crossed.group(1)) < 70, "acted near the limit at 20 MiB/s: " + crossed.group());
        }
        assertTrue(status == 143 || status == 137, "Sentinel ended with its stopped program's status: " + status);
        assertTrue(String.join("\n", s.stderr()).contains("exited with status"), "Sentinel said how the run ended");
        assertTrue(hog.process().isAlive(), "the kernel's OOM killer did not have to act: the hog is still there");
        assertEquals(0, number("memory.oom_control", "oom_kill"), "no OOM kill in the cgroup");
        assertTrue(slowest < 5000, "status within 5 s under pressure: " + slowest + " ms");
    }

    private static String ask(Path socket, String line) {
        try {
            return RestartingTest.ask(socket, line);
        } catch (IOException e) {
            return "";
        }
    }
}
