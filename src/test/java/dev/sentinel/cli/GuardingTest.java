package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.PidFiles;
import dev.sentinel.testing.Processes;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sentinel end to end: a real Sentinel JVM guarding real processes (the leaker, shells). */
class GuardingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> QUIET = List.of("--no-tui", "--no-socket", "--no-metrics");

    @TempDir
    Path dir;

    private PidFiles pidFiles;

    @BeforeEach
    void pidFiles() {
        pidFiles = new PidFiles(dir);
    }

    @AfterEach
    void noProcessLeftBehind() {
        pidFiles.assertNoneLeft(Duration.ZERO);
    }

    private Path pidFile() {
        return pidFiles.next();
    }

    private static RunningProcess sentinel(List<String> options, List<String> command) {
        List<String> args = new ArrayList<>(QUIET);
        args.addAll(options);
        args.add("--");
        args.addAll(command);
        return RunningProcess.start(JavaPrograms.sentinel(args.toArray(String[]::new)));
    }

    private static LocalTime timeOf(RunningProcess p, String regex) {
        Matcher m = p.awaitStderr("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) sentinel\\[[^\\]]+\\]: " + regex, WAIT);
        return LocalTime.parse(m.group(1));
    }

    @Test
    void lifecycleLinesCarryTheLocalTimeOfTz() {
        // +05:30 all year, so the stamp differs from UTC (this machine's usual zone) by a half hour.
        ZoneId kolkata = ZoneId.of("Asia/Kolkata");
        long beforeNanos = System.nanoTime();
        LocalTime before = LocalTime.now(kolkata);
        try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel("--no-tui", "--no-socket", "--no-metrics",
                "true"), Map.of("TZ", "Asia/Kolkata"))) {
            assertEquals(0, s.awaitExit(WAIT));
            LocalTime stamped = timeOf(s, "started pid");
            long elapsedMillis = (System.nanoTime() - beforeNanos) / 1_000_000;
            // Measured on the clock face, so that a run across midnight still counts as close.
            long sinceBefore = Math.floorMod(Duration.between(before, stamped).toMillis(), 86_400_000L);
            assertTrue(sinceBefore <= elapsedMillis + 1000 || sinceBefore >= 86_400_000L - 1000,
                    "stamped " + stamped + ", Kolkata time was " + before + " and " + elapsedMillis + " ms passed");
        }
    }

    @Test
    void aHeadlessRunLoadsNeitherTheTimeZoneDatabaseNorJdbcNorTheManagementBeans() throws IOException {
        // Each is resident for the whole run: 1.5 MiB for the zone rules behind a timestamp, about
        // 35 classes behind picocli's reflective converters, and 1.7 MiB for the JVM metrics that
        // only a scrape needs (BENCHMARKS.md, idle RSS).
        Path log = dir.resolve("classes.log");
        List<String> cmd = new ArrayList<>(JavaPrograms.sentinel("--no-tui", "--no-socket", "-p", "0",
                "--metrics-host", "127.0.0.1", "-m", "100M", "sh", "-c", "exit 3"));
        cmd.add(1, "-Xlog:class+load=info:file=" + log);
        try (RunningProcess s = RunningProcess.start(cmd)) {
            assertEquals(3, s.awaitExit(WAIT));
            timeOf(s, "started pid");
            timeOf(s, "exited with status 3");
        }
        List<String> loaded = Files.readAllLines(log);
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.sentinel.time.TimeOfDay ")), "the log lists classes");
        assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.sentinel.metrics.ScrapeServer ")),
                "the metrics endpoint was up");
        for (String unwanted : List.of(" java.time.zone.TzdbZoneRulesProvider ", " java.sql.", " java.time.chrono.",
                " java.lang.management.ManagementFactory ", " io.prometheus.metrics.instrumentation.jvm.")) {
            assertTrue(loaded.stream().noneMatch(l -> l.contains(unwanted)), unwanted.strip() + " was loaded");
        }
    }

    @Test
    void aLeakIsStoppedWithSigtermAtTheLimit() {
        Path pids = pidFile();
        try (RunningProcess s = sentinel(List.of("-m", "150M", "-n", "leaker"),
                JavaPrograms.leaker("--leak", "100", "--max", "1G", "--pid-file", pids.toString()))) {
            assertEquals(143, s.awaitExit(WAIT), "the leaker handled SIGTERM: 128+15");
            s.awaitStderr("sentinel\\[leaker\\]: started pid \\d+ \\(limit 150 MiB", WAIT);
            s.awaitStderr("sentinel\\[leaker\\]: limit crossed: tree RSS [0-9.]+ MiB > limit 150 MiB", WAIT);
            s.awaitStderr("sent SIGTERM to the tree \\(memory limit exceeded\\)", WAIT);
            s.awaitStderr("exited with status 143 \\(SIGTERM\\).*memory limit exceeded.*peak RSS", WAIT);
            assertTrue(s.stderr().stream().noneMatch(l -> l.contains("SIGKILL to the tree")), "SIGTERM was enough");
        }
    }

    @Test
    void theStopSignalOptionIsTheFirstTier() {
        Path pids = pidFile();
        // The JVM is over 20M from its start; the tolerance lets the leaker set up its signal
        // handlers first, so that it can say which signal came (and none would be the JVM's own).
        try (RunningProcess s = sentinel(List.of("--stop-signal", "INT", "-m", "20M", "--tolerate", "2s", "-n", "leaker"),
                JavaPrograms.leaker("--leak", "100", "--max", "1G", "--pid-file", pids.toString()))) {
            assertEquals(143, s.awaitExit(WAIT), "a memory stop is 143 whatever the signal");
            s.awaitStderr("leaker pid=\\d+ started", WAIT);
            s.awaitStderr("sentinel\\[leaker\\]: sent SIGINT to the tree \\(memory limit exceeded", WAIT);
            s.awaitStderr("leaker pid=\\d+ got SIGINT", WAIT);
            assertTrue(s.stderr().stream().noneMatch(l -> l.contains("sent SIGTERM")), s.stderr().toString());
        }
    }

    @Test
    void aMemoryStopNeverReportsSuccessEvenIfTheProgramExitsZeroOnSigterm() {
        Path pids = pidFile();
        try (RunningProcess s = sentinel(List.of("-m", "100M", "-n", "polite"),
                JavaPrograms.leaker("--leak", "100", "--max", "1G", "--term-exit", "0", "--pid-file", pids.toString()))) {
            assertEquals(143, s.awaitExit(WAIT), "the tree ended within the grace: 143, like timeout(1)'s 124");
            s.awaitStderr("exited with status 0 \\(stopped by sentinel: memory limit exceeded\\) after \\S+, peak RSS "
                    + "[0-9.]+ MiB; Sentinel reports 143 \\(SIGTERM\\) for a memory stop$", WAIT);
        }
    }

    @Test
    void aMemoryStopThatNeededSigkillExits137WhateverTheMainProcessSaid() {
        Path pids = pidFile();
        // The shell exits 0 on SIGTERM; the leaker it started ignores SIGTERM, so the grace ends in SIGKILL.
        String leaker = String.join(" ", JavaPrograms.leaker("--leak", "100", "--max", "1G", "--ignore-term",
                "--pid-file", pids.toString()));
        // Sentinel's own tiers: no kernel limit, which would stop the leak during the grace (ContainmentTest).
        try (RunningProcess s = sentinel(List.of("-m", "100M", "-g", "500ms", "-n", "mixed", "--kernel-limit", "off"),
                List.of("sh", "-c", leaker + " & trap 'exit 0' TERM; wait"))) {
            assertEquals(137, s.awaitExit(WAIT));
            s.awaitStderr("sent SIGKILL to the tree \\(grace period of 500ms is over", WAIT);
            s.awaitStderr("exited with status 0 .*; Sentinel reports 137 \\(SIGKILL\\) for a memory stop$", WAIT);
        }
    }

    @Test
    void gnuTimeoutsTwoSigtermsAreOneRequestAndKeepTheGrace() {
        // timeout(1) sends SIGTERM to Sentinel and then to its own process group, which Sentinel is
        // in: two SIGTERMs within milliseconds. The program needs a second of its grace to finish.
        List<String> cmd = new ArrayList<>(List.of("timeout", "-s", "TERM", "2"));
        cmd.addAll(JavaPrograms.sentinel("--no-tui", "--no-socket", "--no-metrics", "-g", "10s", "-n", "slow", "--",
                "sh", "-c", "trap 'sleep 1; exit 0' TERM; sleep 60 & wait"));
        try (RunningProcess s = RunningProcess.start(cmd)) {
            assertEquals(124, s.awaitExit(WAIT), "timeout's status when it had to signal");
            s.awaitStderr("sentinel\\[slow\\]: received SIGTERM: stopping the tree", WAIT);
            s.awaitStderr("sentinel\\[slow\\]: exited with status 0 \\(stopped by sentinel: sentinel was signalled\\)",
                    WAIT);
            assertTrue(s.stderr().stream().noneMatch(l -> l.contains("again") || l.contains("sent SIGKILL")),
                    "the second SIGTERM was the same request: " + s.stderr());
        }
    }

    @Test
    void aSigtermRepeatedWithinTheWindowKeepsTheGrace() throws Exception {
        // The kernel merges two SIGTERMs that arrive before the JVM handles the first, so timeout(1)
        // alone only sometimes shows the problem; 50 ms apart, both always arrive.
        try (RunningProcess s = sentinel(List.of("-g", "10s", "-n", "slow"),
                List.of("sh", "-c", "trap 'sleep 1; exit 0' TERM; echo trapped; sleep 60 & wait"))) {
            s.awaitStderr("sentinel\\[slow\\]: started pid", WAIT);
            // Signalled once its trap is set: before that, SIGTERM ends sh at once (143), not gracefully.
            s.awaitStdout("trapped", WAIT);
            new ProcessBuilder("sh", "-c", "kill -TERM " + s.pid() + "; sleep 0.05; kill -TERM " + s.pid())
                    .start().waitFor();
            assertEquals(0, s.awaitExit(WAIT), "the program's own status after its graceful stop");
            assertTrue(s.stderr().stream().noneMatch(l -> l.contains("again") || l.contains("sent SIGKILL")),
                    "the second SIGTERM was the same request: " + s.stderr());
        }
    }

    @Test
    void aChildIgnoringSigtermIsKilledAfterTheGraceNotBefore() {
        Path pids = pidFile();
        // Sentinel's own tiers: no kernel limit, which would stop the leak during the grace (ContainmentTest).
        try (RunningProcess s = sentinel(List.of("-m", "120M", "-g", "1500ms", "-n", "leaker", "--kernel-limit", "off"),
                JavaPrograms.leaker("--leak", "50", "--max", "400M", "--ignore-term", "--pid-file", pids.toString()))) {
            assertEquals(137, s.awaitExit(WAIT), "only SIGKILL ended it: 128+9");
            LocalTime term = timeOf(s, "sent SIGTERM");
            LocalTime kill = timeOf(s, "sent SIGKILL to the tree \\(grace period of 1.5s is over");
            long gap = Duration.between(term, kill).toMillis();
            assertTrue(gap >= 1495, "SIGKILL came " + gap + " ms after SIGTERM, before the grace ended");
            assertTrue(s.stdout().stream().anyMatch(l -> l.contains("SIGTERM"))
                    || s.stderr().stream().anyMatch(l -> l.contains("leaker pid=") && l.contains("SIGTERM")),
                    "the leaker saw the SIGTERM and ignored it");
        }
    }

    @Test
    void grandchildrenAreCountedAndNoneIsLeftBehind() {
        Path pids = pidFile();
        // sh -> leaker parent -> 3 leaking children: the children are Sentinel's grandchildren,
        // and no single one of them reaches the limit alone.
        String leaker = String.join(" ", JavaPrograms.leaker("--children", "3", "--leak", "15", "--max", "400M",
                "--pid-file", pids.toString()));
        try (RunningProcess s = sentinel(List.of("-m", "400M", "-g", "2s", "-n", "tree"),
                List.of("sh", "-c", leaker + "; exit $?"))) {
            Matcher crossed = s.awaitStderr("limit crossed: tree RSS ([0-9.]+) MiB > limit 400 MiB \\((\\d+) processes\\)",
                    Duration.ofSeconds(60));
            assertTrue(Integer.parseInt(crossed.group(2)) >= 5, "sh, the leaker and its 3 children: " + crossed.group());
            int status = s.awaitExit(WAIT);
            assertTrue(status == 143 || status == 137, "stopped by a signal, got " + status);
            List<Long> tree = Processes.pidsIn(pids);
            assertEquals(4, tree.size(), "the leaker and its children wrote their pids: " + tree);
            Await.until(Duration.ofSeconds(5), "every process of the tree is gone",
                    () -> tree.stream().noneMatch(Processes::alive));
        }
    }

    @Test
    void exitCodesPassThrough() {
        try (RunningProcess s = sentinel(List.of(), List.of("sh", "-c", "exit 7"))) {
            assertEquals(7, s.awaitExit(WAIT));
        }
        try (RunningProcess s = sentinel(List.of(), List.of("sh", "-c", "kill -USR1 $$"))) {
            assertEquals(138, s.awaitExit(WAIT), "128 + SIGUSR1(10)");
            s.awaitStderr("exited with status 138 \\(SIGUSR1\\)", WAIT);
        }
        try (RunningProcess s = sentinel(List.of(), List.of("true"))) {
            assertEquals(0, s.awaitExit(WAIT));
        }
    }

    @Test
    void missingOrUnrunnableCommandsExitLikeAShell() throws IOException {
        try (RunningProcess s = sentinel(List.of(), List.of("no-such-command-xyz"))) {
            assertEquals(127, s.awaitExit(WAIT));
            s.awaitStderr("^sentinel: no-such-command-xyz: command not found", WAIT);
        }
        Path notExecutable = Files.writeString(dir.resolve("script"), "#!/bin/sh\necho hi\n");
        try (RunningProcess s = sentinel(List.of(), List.of(notExecutable.toString()))) {
            assertEquals(126, s.awaitExit(WAIT));
            s.awaitStderr("^sentinel: .*script: permission denied", WAIT);
        }
    }

    @Test
    void badUsageExitsTwoWithOneSentence() {
        String[][] cases = {
            {"-m", "12XB", "true"},
            {"--grace", "-1s", "true"},
            {"-i", "0", "true"},
            {"--tui", "sometimes", "true"},
            {"--no-such-option", "true"},
            {"--restart", "sometimes", "true"},
            {"--max-restarts", "ten", "true"},
            {"--tolerate", "5x", "true"},
            {"--cgroup", "maybe", "true"},
            {"--kernel-limit", "lots", "true"},
            {"--journal", "/nonexistent/dir/journal.jsonl", "true"},
            {},
        };
        for (String[] args : cases) {
            try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel(args))) {
                assertEquals(2, s.awaitExit(WAIT), String.join(" ", args));
                String first = s.stderr().get(0);
                assertTrue(first.startsWith("sentinel: "), first);
                if (args.length > 1) {
                    assertTrue(first.contains("'" + args[1] + "'") || first.contains(args[0]) || first.contains(args[1]),
                            first);
                }
            }
        }
    }

    @Test
    void optionsStopAtTheFirstWordOfTheCommand() {
        // No "--": "-n" and "-m" after the command belong to the command, not to Sentinel.
        try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel("--no-tui", "--no-socket", "--no-metrics",
                "sh", "-c", "echo \"args:$*\"", "sh", "-n", "x", "-m", "12XB"))) {
            assertEquals(0, s.awaitExit(WAIT));
            s.awaitStdout("^args:-n x -m 12XB$", WAIT);
        }
    }

    @Test
    void environmentVariablesSetOptions() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(JavaPrograms.sentinel("--no-tui", "--no-socket", "--no-metrics", "true"));
        pb.environment().put("SENTINEL_MEMORY_LIMIT", "77M");
        pb.environment().put("SENTINEL_NAME", "fromenv");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor());
        assertTrue(out.contains("sentinel[fromenv]: started pid") && out.contains("limit 77 MiB"), out);
    }

    @Test
    void signalsAreForwardedToTheGroup() {
        Path pids = pidFile();
        try (RunningProcess s = sentinel(List.of("-n", "leaker"), JavaPrograms.leaker("--pid-file", pids.toString()))) {
            s.awaitStderr("leaker pid=\\d+ started", WAIT);
            s.signal("HUP");
            s.awaitStderr("leaker pid=\\d+ got SIGHUP", WAIT);
            s.signal("USR1");
            s.awaitStderr("leaker pid=\\d+ got SIGUSR1", WAIT);
            s.signal("USR2");
            s.awaitStderr("leaker pid=\\d+ got SIGUSR2", WAIT);
            s.signal("TERM");
            assertEquals(143, s.awaitExit(WAIT), "SIGTERM to Sentinel stops the child; its status is Sentinel's");
            s.awaitStderr("received SIGTERM: stopping the tree", WAIT);
        }
    }

    @Test
    void aSecondSigintKillsAtOnce() {
        Path pids = pidFile();
        // The whole group ignores INT and TERM; the grace is long, so only the second ^C can end it soon.
        try (RunningProcess s = sentinel(List.of("-g", "60s", "-n", "stubborn"), List.of("sh", "-c",
                "trap '' INT TERM; echo $$ >> " + pids + "; sleep 120 & echo $! >> " + pids + "; wait; wait"))) {
            Await.until(WAIT, "the tree is up", () -> Processes.pidsIn(pids).size() == 2);
            long first = System.nanoTime();
            s.signal("INT");
            s.awaitStderr("sent SIGINT to the tree \\(sentinel was signalled\\)", WAIT);
            assertTrue(s.process().isAlive(), "still in its grace period");
            // A person's second Ctrl-C: later than the 200 ms in which a repeat is one request.
            Await.until(WAIT, "300 ms since the first SIGINT", () -> System.nanoTime() - first > 300_000_000L);
            s.signal("INT");
            assertEquals(137, s.awaitExit(Duration.ofSeconds(10)));
            s.awaitStderr("received SIGINT again: killing the tree now", WAIT);
        }
    }

    @Test
    void leftoversOfAnExitedMainProcessAreStopped() {
        Path pids = pidFile();
        try (RunningProcess s = sentinel(List.of("-n", "bg"), List.of("sh", "-c",
                "sleep 300 & echo $! > " + pids + "; exit 3"))) {
            assertEquals(3, s.awaitExit(WAIT), "the main process's status, not the leftover's");
            s.awaitStderr("main process exited, leaving processes behind", WAIT);
        }
    }

    @Test
    void killingSentinelWithSigkillTakesTheTreeWithIt() {
        Path pids = pidFile();
        try (RunningProcess s = sentinel(List.of("-n", "leaker"), JavaPrograms.leaker("--children", "2",
                "--pid-file", pids.toString()))) {
            Await.until(WAIT, "the leaker and its children run", () -> Processes.pidsIn(pids).size() == 3);
            s.signal("KILL");
            s.awaitExit(WAIT);
            // Only the lifeline can do this: Sentinel itself had no chance to react.
            Await.until(Duration.ofSeconds(10), "the orphaned tree is killed",
                    () -> Processes.pidsIn(pids).stream().noneMatch(Processes::alive));
        }
    }

    @Test
    void profilingSentinelDoesNotSignalTheProgram() throws Exception {
        // JFR's sampler suspends threads with HotSpot's suspend signal; bin/sentinel moves it off
        // SIGUSR2 (which Sentinel forwards) and keeps the setting out of the program's environment.
        List<String> cmd = new ArrayList<>(JavaPrograms.sentinel("--no-tui", "--no-socket", "--no-metrics", "--",
                "sh", "-c", "env | grep -c -e _JAVA_SR_SIGNUM -e SENTINEL_OWN_SR_SIGNUM; sleep 2"));
        cmd.add(1, "-XX:StartFlightRecording=filename=" + dir.resolve("s.jfr") + ",settings=profile");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("_JAVA_SR_SIGNUM", "44");
        pb.environment().put("SENTINEL_OWN_SR_SIGNUM", "1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.waitFor(), out);
            assertTrue(out.lines().anyMatch(l -> l.equals("0")), "neither variable reaches the program: " + out);
            assertFalse(out.contains("forwarded SIGUSR2"), out);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void aChildFloodingStdoutNeverBlocks() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(JavaPrograms.sentinel("--no-tui", "--no-socket", "--no-metrics",
                "--", "sh", "-c", "head -c 100000000 /dev/zero | tr '\\0' x; exit 5"));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "100 MB of output went through");
            assertEquals(5, p.exitValue());
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }
}
