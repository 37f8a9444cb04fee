package dev.sentinel.metrics;

import static dev.sentinel.metrics.Snapshots.MIB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.KillCount;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.core.program.RestartReason;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.platform.Signal;
import dev.sentinel.testing.Healths;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProgramCollectorTest {

    private static final String APP = "{name=\"app\"}";

    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private final ProgramCollector collector = new ProgramCollector(latest::get, new ScrapeWatch());

    private Exposition scrape(Snapshot s) {
        latest.set(s);
        return Exposition.of(collector.collect());
    }

    @Test
    void runningProgramFollowsTheSnapshot() {
        Snapshots.Program p = new Snapshots.Program();
        Exposition e = scrape(Snapshots.of(1, p));

        assertEquals(100.0 * MIB, e.value("sentinel_process_resident_memory_bytes" + APP));
        assertEquals(120.0 * MIB, e.value("sentinel_process_peak_resident_memory_bytes" + APP));
        assertEquals(512.0 * MIB, e.value("sentinel_process_memory_limit_bytes" + APP));
        assertEquals(1, e.value("sentinel_process_up" + APP));
        assertEquals(3, e.value("sentinel_process_processes" + APP));
        assertEquals(1.5, e.value("sentinel_process_cpu_seconds_total" + APP));
        assertEquals(1_700_000_000.0, e.value("sentinel_process_start_time_seconds" + APP));
        assertEquals(0, e.value("sentinel_process_restarts_total{name=\"app\",reason=\"order\"}"));
        assertEquals(0, e.value("sentinel_process_consecutive_failures" + APP));
        assertEquals(1, e.value("sentinel_process_state{name=\"app\",state=\"RUNNING\"}"));
        assertEquals(1, e.value("sentinel_process_info{command=\"app --serve\",name=\"app\",pid=\"4242\"}"));
        assertTrue(e.text().contains("# TYPE sentinel_process_cpu_seconds_total counter"), e.text());
        assertTrue(e.text().contains("# TYPE sentinel_process_resident_memory_bytes gauge"), e.text());
        assertTrue(e.text().contains("# TYPE sentinel_process_restarts_total counter"), e.text());
        assertTrue(e.text().contains("# HELP sentinel_process_restarts_total Restarts of the program, automatic or"
                + " ordered, by the reason for the new run."), e.text());
        assertTrue(e.text().contains("# TYPE sentinel_process_state gauge"), e.text());
    }

    @Test
    void labelsCarryTheNameNeverThePidExceptOnInfo() {
        Exposition e = scrape(Snapshots.of(1, new Snapshots.Program()));
        e.samples().keySet().forEach(series -> {
            assertTrue(series.contains("name=\"app\""), series);
            if (!series.startsWith("sentinel_process_info")) {
                assertFalse(series.contains("4242"), series);
            }
        });
    }

    @Test
    void memoryGrowsWithTheSnapshots() {
        Snapshots.Program p = new Snapshots.Program();
        assertEquals(100.0 * MIB, scrape(Snapshots.of(1, p)).value("sentinel_process_resident_memory_bytes" + APP));
        p.rss = 300 * MIB;
        p.peak = 300 * MIB;
        Exposition e = scrape(Snapshots.of(2, p));
        assertEquals(300.0 * MIB, e.value("sentinel_process_resident_memory_bytes" + APP));
        assertEquals(300.0 * MIB, e.value("sentinel_process_peak_resident_memory_bytes" + APP));
    }

    @Test
    void noLimitMeansNoLimitSeries() {
        Snapshots.Program p = new Snapshots.Program();
        p.limit = MemoryLimit.NONE;
        Exposition e = scrape(Snapshots.of(1, p));
        assertFalse(e.hasMetric("sentinel_process_memory_limit_bytes"), e.text());
        assertFalse(e.text().contains("sentinel_process_memory_limit_bytes"), "no HELP/TYPE for an empty family");
        assertTrue(e.has("sentinel_process_resident_memory_bytes" + APP));
    }

    @Test
    void beforeTheFirstStartNothingIsUpAndThereIsNoStartTime() {
        Snapshots.Program p = new Snapshots.Program();
        p.state = ProgramState.STARTING;
        p.pid = 0;
        p.rss = 0;
        p.peak = 0;
        p.processes = 0;
        p.startedMillis = 0;
        Exposition e = scrape(Snapshots.of(0, p));
        assertEquals(0, e.value("sentinel_process_up" + APP));
        assertFalse(e.hasMetric("sentinel_process_start_time_seconds"), e.text());
        assertFalse(e.hasMetric("sentinel_process_info"), e.text());
    }

    @Test
    void afterExitUpIsZeroAtOnceAndNoMemoryIsReported() {
        Snapshots.Program p = new Snapshots.Program();
        scrape(Snapshots.of(1, p));
        p.exited(0);
        Exposition e = scrape(Snapshots.of(2, p));
        assertEquals(0, e.value("sentinel_process_up" + APP));
        assertEquals(0, e.value("sentinel_process_resident_memory_bytes" + APP));
        assertEquals(0, e.value("sentinel_process_processes" + APP));
        assertFalse(e.hasMetric("sentinel_process_info"), "a dead pid is no longer described: " + e.text());
        // Counters keep their totals: they are history, not the state of a live process.
        assertEquals(1.5, e.value("sentinel_process_cpu_seconds_total" + APP));
    }

    @Test
    void upDropsAsSoonAsTheMainProcessExitsEvenWhileLeftoversAreStopped() {
        Snapshots.Program p = new Snapshots.Program();
        p.state = ProgramState.STOPPING;
        p.lastStop = StopReason.LEFTOVERS;
        p.exitStatus = 0;
        p.rss = 20 * MIB;
        p.processes = 1;
        Exposition e = scrape(Snapshots.of(5, p));
        assertEquals(0, e.value("sentinel_process_up" + APP));
        // The leftover processes are alive and their memory is real.
        assertEquals(20.0 * MIB, e.value("sentinel_process_resident_memory_bytes" + APP));
        assertEquals(1, e.value("sentinel_process_processes" + APP));
    }

    @Test
    void aRestartContinuesTheSameSeriesAndDescribesTheNewPid() {
        Snapshots.Program p = new Snapshots.Program();
        scrape(Snapshots.of(1, p));
        p.pid = 5555;
        p.restarted(Map.of(RestartReason.ORDER, 1L), 0);
        p.startedMillis = 1_700_000_100_000L;
        p.cpu = 0.2;
        p.lastStop = StopReason.RESTART;
        p.kills = List.of(new KillCount(StopReason.RESTART, Signal.TERM, 1));
        Exposition e = scrape(Snapshots.of(9, p));
        assertEquals(1, e.value("sentinel_process_restarts_total{name=\"app\",reason=\"order\"}"));
        assertEquals(0, e.value("sentinel_process_restarts_total{name=\"app\",reason=\"memory\"}"));
        assertEquals(1_700_000_100.0, e.value("sentinel_process_start_time_seconds" + APP));
        assertEquals(1, e.value("sentinel_process_up" + APP));
        assertEquals(1, e.value("sentinel_process_info{command=\"app --serve\",name=\"app\",pid=\"5555\"}"));
        assertEquals(1, e.count("sentinel_process_info"), "only the current pid is described");
        assertEquals(1, e.value("sentinel_process_kills_total{name=\"app\",reason=\"restart\",signal=\"SIGTERM\"}"));
        assertEquals(0.2, e.value("sentinel_process_cpu_seconds_total" + APP), "CPU time is per run");
    }

    @Test
    void killsAreCountedByReasonAndSignalAndEveryTierStartsAtZero() {
        Snapshots.Program p = new Snapshots.Program();
        Exposition before = scrape(Snapshots.of(1, p));
        assertEquals(StopReason.values().length * 2L, before.count("sentinel_process_kills_total"));
        for (StopReason r : StopReason.values()) {
            for (String sig : List.of("SIGTERM", "SIGKILL")) {
                assertEquals(0, before.value("sentinel_process_kills_total{name=\"app\",reason=\"" + r.label()
                        + "\",signal=\"" + sig + "\"}"));
            }
        }

        p.kills = List.of(new KillCount(StopReason.MEMORY, Signal.TERM, 2), new KillCount(StopReason.MEMORY, Signal.KILL, 1),
                new KillCount(StopReason.STOP, Signal.HUP, 1));
        Exposition after = scrape(Snapshots.of(2, p));
        assertEquals(2, after.value("sentinel_process_kills_total{name=\"app\",reason=\"memory\",signal=\"SIGTERM\"}"));
        assertEquals(1, after.value("sentinel_process_kills_total{name=\"app\",reason=\"memory\",signal=\"SIGKILL\"}"));
        assertEquals(1, after.value("sentinel_process_kills_total{name=\"app\",reason=\"stop\",signal=\"SIGHUP\"}"));
        assertEquals(0, after.value("sentinel_process_kills_total{name=\"app\",reason=\"stop\",signal=\"SIGTERM\"}"));
    }

    @Test
    void everyRestartReasonIsExportedAtZeroFromTheStart() {
        Exposition e = scrape(Snapshots.of(1, new Snapshots.Program()));
        assertEquals(8, e.count("sentinel_process_restarts_total"), e.text());
        for (String reason : List.of("memory", "failure", "exit", "order", "check-failed", "watchdog", "ready-timeout",
                "required")) {
            assertEquals(0, e.value("sentinel_process_restarts_total{name=\"app\",reason=\"" + reason + "\"}"));
        }
        assertFalse(e.has("sentinel_process_restarts_total" + APP), "no series without a reason: " + e.text());
    }

    @Test
    void restartsAreCountedByReason() {
        Snapshots.Program p = new Snapshots.Program();
        p.pid = 6000;
        p.restarted(Map.of(RestartReason.MEMORY, 3L, RestartReason.FAILURE, 2L, RestartReason.ORDER, 1L), 2);
        Exposition e = scrape(Snapshots.of(3, p));
        assertEquals(3, e.value("sentinel_process_restarts_total{name=\"app\",reason=\"memory\"}"));
        assertEquals(2, e.value("sentinel_process_restarts_total{name=\"app\",reason=\"failure\"}"));
        assertEquals(0, e.value("sentinel_process_restarts_total{name=\"app\",reason=\"exit\"}"));
        assertEquals(1, e.value("sentinel_process_restarts_total{name=\"app\",reason=\"order\"}"));
        assertEquals(2, e.value("sentinel_process_consecutive_failures" + APP));
    }

    @Test
    void everyStateHasASeriesAndOnlyTheCurrentOneIsOne() {
        Snapshots.Program p = new Snapshots.Program();
        for (ProgramState current : ProgramState.values()) {
            p.state = current;
            Exposition e = scrape(Snapshots.of(1, p));
            assertEquals(8, e.count("sentinel_process_state"), e.text());
            for (String state : List.of("STARTING", "WAITING", "RUNNING", "STOPPING", "KILLING", "BACKOFF", "EXITED",
                    "FATAL")) {
                double expected = state.equals(current.name()) ? 1 : 0;
                assertEquals(expected, e.value("sentinel_process_state{name=\"app\",state=\"" + state + "\"}"),
                        current + ": " + state);
            }
            // A plain gauge labelled "state", not a StateSet labelled after itself.
            assertFalse(e.text().contains("sentinel_process_state=\""), e.text());
        }
    }

    @Test
    void upOnlyWhileATreeRunsAndNeverInBackoffOrFatal() {
        Set<ProgramState> withTree = EnumSet.of(ProgramState.STARTING, ProgramState.RUNNING, ProgramState.STOPPING,
                ProgramState.KILLING);
        for (ProgramState state : ProgramState.values()) {
            Snapshots.Program p = new Snapshots.Program();
            if (withTree.contains(state)) {
                p.state = state;
            } else {
                // As the guardian reports a run that is over: the last pid and status, no tree.
                p.exited(1).state = state;
            }
            Exposition e = scrape(Snapshots.of(2, p));
            assertEquals(withTree.contains(state) ? 1 : 0, e.value("sentinel_process_up" + APP), state.name());
            assertEquals(withTree.contains(state), e.hasMetric("sentinel_process_info"), state + ": " + e.text());
        }
    }

    @Test
    void inBackoffNothingIsUpEvenIfTheSnapshotStillCarriesALiveLookingStatus() {
        // Belt and braces: up follows the state, not only the exit status.
        Snapshots.Program p = new Snapshots.Program();
        p.state = ProgramState.BACKOFF;
        p.exitStatus = -1;
        p.restarted(Map.of(RestartReason.FAILURE, 1L), 1);
        Exposition e = scrape(Snapshots.of(4, p));
        assertEquals(0, e.value("sentinel_process_up" + APP));
        assertFalse(e.hasMetric("sentinel_process_info"), e.text());
        assertEquals(1, e.value("sentinel_process_state{name=\"app\",state=\"BACKOFF\"}"));
        assertEquals(1, e.value("sentinel_process_consecutive_failures" + APP));
    }

    @Test
    void aLongCommandLineIsCutInTheInfoLabel() {
        Snapshots.Program p = new Snapshots.Program();
        p.command = List.of("java", "-cp", "x".repeat(5000), "Main");
        String label = ProgramCollector.commandLabel(p.command);
        assertEquals(ProgramCollector.MAX_COMMAND_LABEL, label.codePointCount(0, label.length()));
        assertTrue(label.startsWith("java -cp xxx") && label.endsWith("\u2026"), label);
        Exposition e = scrape(Snapshots.of(1, p));
        assertTrue(e.has("sentinel_process_info{command=\"" + label + "\",name=\"app\",pid=\"4242\"}"), e.text());
    }

    @Test
    void labelValuesAreEscaped() {
        Snapshots.Program p = new Snapshots.Program();
        p.name = "we\"ird";
        p.command = List.of("sh", "-c", "echo \"hi\"\\n");
        Exposition e = scrape(Snapshots.of(1, p));
        assertEquals(1, e.value("sentinel_process_up{name=\"we\\\"ird\"}"));
        assertTrue(e.text().contains("command=\"sh -c echo \\\"hi\\\"\\\\n\""), e.text());
    }

    @Test
    void readinessAndCheckFailuresFollowTheSnapshotsHealth() {
        Snapshots.Program p = new Snapshots.Program();
        Exposition e = scrape(Snapshots.of(1, p));
        assertEquals(1, e.value("sentinel_process_ready" + APP), "a program without a check is ready while it runs");
        assertEquals(0, e.value("sentinel_check_failures_total" + APP), "at 0 from the start, with a check or not");
        assertTrue(e.text().contains("# TYPE sentinel_process_ready gauge"), e.text());
        assertTrue(e.text().contains("# TYPE sentinel_check_failures_total counter"), e.text());
        assertTrue(e.text().contains("# HELP sentinel_check_failures_total Health checks of the program that failed,"),
                e.text());

        p.health = Healths.failing("HTTP 500", 7, 3);
        e = scrape(Snapshots.of(2, p));
        assertEquals(0, e.value("sentinel_process_ready" + APP));
        assertEquals(7, e.value("sentinel_check_failures_total" + APP));

        p.health = null;
        p.exited(0);
        e = scrape(Snapshots.of(3, p));
        assertEquals(0, e.value("sentinel_process_ready" + APP), "not ready once over, whether or not it counts");
    }

    @Test
    void nothingBeforeTheLoopPublishedASnapshot() {
        assertEquals(0, collector.collect().size());
    }

    @Test
    void eachProgramHasItsOwnSeriesAndADuplicateNameIsExportedOnce() {
        Snapshots.Program a = new Snapshots.Program();
        Snapshots.Program b = new Snapshots.Program();
        b.name = "worker";
        b.rss = 7 * MIB;
        Snapshots.Program dup = new Snapshots.Program();
        dup.rss = 1;
        Exposition e = scrape(Snapshots.of(1, a, b, dup));
        assertEquals(100.0 * MIB, e.value("sentinel_process_resident_memory_bytes" + APP));
        assertEquals(7.0 * MIB, e.value("sentinel_process_resident_memory_bytes{name=\"worker\"}"));
        assertEquals(2, e.count("sentinel_process_resident_memory_bytes"));
    }

    @Test
    void aProgramAReloadRemovedLeavesEverySeriesAtTheNextScrapeAndAnAddedOneAppears() {
        Snapshots.Program a = new Snapshots.Program();
        Snapshots.Program gone = new Snapshots.Program();
        gone.name = "gone";
        assertEquals(1.0, scrape(Snapshots.of(1, a, gone)).value("sentinel_process_up{name=\"gone\"}"));
        Snapshots.Program added = new Snapshots.Program();
        added.name = "added";
        Exposition e = scrape(Snapshots.of(2, a, added));
        assertEquals(0, e.samples().keySet().stream().filter(k -> k.contains("name=\"gone\"")).count(), "no series of gone");
        assertEquals(1.0, e.value("sentinel_process_up{name=\"added\"}"));
    }

    @Test
    void namesAreDeclaredSoTheRegistryRejectsClashes() {
        for (String name : collector.getPrometheusNames()) {
            assertTrue(name.startsWith("sentinel_process") || name.equals("sentinel_check_failures"), name);
            assertFalse(name.endsWith("_total") || name.endsWith("_info"), name);
        }
    }
}
