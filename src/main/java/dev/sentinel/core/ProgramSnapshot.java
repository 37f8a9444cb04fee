package dev.sentinel.core;

import dev.sentinel.platform.ProcessSample;
import java.time.Duration;
import java.util.List;

/**
 * Everything the outside world may know about one guarded program at one moment. Immutable;
 * the dashboard, the socket and the metrics read it without touching the loop.
 *
 * @param pid the main process, 0 before the first start
 * @param peakRssBytes the highest tree RSS of the current run
 * @param cpuSeconds CPU time of the tree in the current run, exited processes included
 * @param startedEpochMillis when the current run started, 0 before the first start
 * @param lastStop why Sentinel last stopped the tree, or null
 * @param exitStatus the main process's exit status once it has ended, or -1
 * @param growthBytesPerSecond recent growth of the tree's RSS
 * @param sampleCostNanos how long the last sample took
 * @param samples how many samples have been taken since Sentinel started (all runs)
 */
public record ProgramSnapshot(String name, List<String> command, GuardianState state, long pid,
                              long rssBytes, long peakRssBytes, MemoryLimit limit, Duration grace,
                              List<ProcessSample> processes, double cpuSeconds,
                              long startedEpochMillis, long uptimeMillis, int restarts,
                              StopReason lastStop, int exitStatus, List<KillCount> kills,
                              double growthBytesPerSecond, long sampleCostNanos, long samples) {

    public ProgramSnapshot {
        command = List.copyOf(command);
        processes = List.copyOf(processes);
        kills = List.copyOf(kills);
    }

    public boolean isUp() {
        return pid != 0 && state != GuardianState.EXITED;
    }

    /** Percent of the limit in use, or NaN without a limit. */
    public double percentOfLimit() {
        return limit.isSet() ? 100.0 * rssBytes / limit.bytes() : Double.NaN;
    }
}
