package dev.sentinel.metrics;

import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.KillCount;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.core.program.RestartReason;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.RestartSettings;
import dev.sentinel.core.program.RestartStatus;
import dev.sentinel.core.RunInfo;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.platform.ProcessSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

/** Fake snapshots for unit tests: a program through start, growth, kills, exit and restart. */
final class Snapshots {

    static final long MIB = 1024 * 1024;
    static final RunInfo INFO = new RunInfo("test", 1, null, null);

    private Snapshots() {
    }

    /** A mutable description of one program that turns into an immutable {@link ProgramSnapshot}. */
    static final class Program {
        String name = "app";
        List<String> command = List.of("app", "--serve");
        ProgramState state = ProgramState.RUNNING;
        long pid = 4242;
        long rss = 100 * MIB;
        long peak = 120 * MIB;
        MemoryLimit limit = new MemoryLimit(512 * MIB);
        int processes = 3;
        double cpu = 1.5;
        long startedMillis = 1_700_000_000_000L;
        int restarts;
        StopReason lastStop;
        int exitStatus = -1;
        List<KillCount> kills = new ArrayList<>();
        long sampleCostNanos = 40_000;
        long samples = 10;
        RestartStatus restart = RestartStatus.NONE;
        RestartSettings restartSettings = RestartSettings.NEVER;
        /** Null: what the state alone says ({@link ProgramSnapshot.Health#of}). */
        ProgramSnapshot.Health health;

        ProgramSnapshot snapshot() {
            List<ProcessSample> ps = LongStream.range(0, processes)
                    .mapToObj(i -> new ProcessSample(pid + i, i == 0 ? 1 : pid, pid, i == 0 ? 0 : 1, name, name, 'S',
                            rss / Math.max(1, processes), 10, 1, 100))
                    .toList();
            return new ProgramSnapshot(ProgramSettings.builder(name, command).limit(limit).restart(restartSettings)
                    .build(), state, limit,
                    new ProgramSnapshot.Run(pid, rss, peak, ps, cpu, startedMillis, 5000, exitStatus, 0),
                    new ProgramSnapshot.Ledger(restarts, lastStop, kills, restart, List.of(), samples, sampleCostNanos),
                    ProgramSnapshot.Kernel.PROC, health == null ? ProgramSnapshot.Health.of(state) : health);
        }

        /**
         * Restarted under {@code on-failure}: {@code byReason} so far and {@code streak} consecutive
         * failures; {@code restarts} is the sum of {@code byReason}, as the guardian reports it.
         */
        Program restarted(Map<RestartReason, Long> byReason, int streak) {
            restartSettings = RestartSettings.NEVER.withPolicy(RestartPolicy.ON_FAILURE);
            restart = new RestartStatus(1 + restarts(byReason), streak, 1, 0, byReason);
            restarts = restarts(byReason);
            return this;
        }

        private static int restarts(Map<RestartReason, Long> byReason) {
            return (int) byReason.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The program's tree is gone, as the guardian reports it: no processes, no memory. */
        Program exited(int status) {
            state = ProgramState.EXITED;
            exitStatus = status;
            rss = 0;
            processes = 0;
            return this;
        }
    }

    static Snapshot of(long sequence, Program... programs) {
        return new Snapshot(sequence, 1_700_000_010_000L, INFO,
                List.of(programs).stream().map(Program::snapshot).toList(), List.of());
    }
}
