package dev.sentinel.core.program;

import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.platform.ProcessSample;
import java.time.Duration;
import java.util.List;

/**
 * Everything the outside world may know about one guarded program at one moment. Immutable;
 * the dashboard, the socket and the metrics read it without touching the loop.
 *
 * @param pid the main process of the current (or last) run, 0 before the first start
 * @param peakRssBytes the highest tree RSS of the current (or last) run
 * @param cpuSeconds CPU time of the tree in the current run, exited processes included
 * @param startedEpochMillis when the current run started, 0 before the first start
 * @param restarts how often the program was started again, automatically or by an order
 * @param lastStop why Sentinel last stopped the tree, or null
 * @param exitStatus the main process's exit status once the current run has ended, or -1
 * @param growthBytesPerSecond recent growth of the tree's RSS
 * @param sampleCostNanos how long the last sample took
 * @param samples how many samples have been taken since Sentinel started (all runs)
 * @param restart the restart policy's state: run number, streak, pending restart, counts by reason
 * @param history the last runs, oldest first, the current one last
 * @param kernelLimitBytes the kernel's hard limit on the program's cgroup, -1 for none
 * @param containment where the tree lives: {@code "proc"} (no cgroup) or {@code "cgroup PATH…"}
 */
public record ProgramSnapshot(String name, List<String> command, GuardianState state, long pid,
                              long rssBytes, long peakRssBytes, MemoryLimit limit, Duration grace,
                              List<ProcessSample> processes, double cpuSeconds,
                              long startedEpochMillis, long uptimeMillis, int restarts,
                              StopReason lastStop, int exitStatus, List<KillCount> kills,
                              double growthBytesPerSecond, long sampleCostNanos, long samples,
                              RestartStatus restart, List<RunRecord> history, long kernelLimitBytes,
                              String containment) {

    public ProgramSnapshot {
        command = List.copyOf(command);
        processes = List.copyOf(processes);
        kills = List.copyOf(kills);
        history = List.copyOf(history);
    }

    /** Without a cgroup. */
    public ProgramSnapshot(String name, List<String> command, GuardianState state, long pid,
                           long rssBytes, long peakRssBytes, MemoryLimit limit, Duration grace,
                           List<ProcessSample> processes, double cpuSeconds,
                           long startedEpochMillis, long uptimeMillis, int restarts,
                           StopReason lastStop, int exitStatus, List<KillCount> kills,
                           double growthBytesPerSecond, long sampleCostNanos, long samples,
                           RestartStatus restart, List<RunRecord> history) {
        this(name, command, state, pid, rssBytes, peakRssBytes, limit, grace, processes, cpuSeconds,
                startedEpochMillis, uptimeMillis, restarts, lastStop, exitStatus, kills, growthBytesPerSecond,
                sampleCostNanos, samples, restart, history, -1, "proc");
    }

    /** A snapshot without restart state or history (a program that is never restarted). */
    public ProgramSnapshot(String name, List<String> command, GuardianState state, long pid,
                           long rssBytes, long peakRssBytes, MemoryLimit limit, Duration grace,
                           List<ProcessSample> processes, double cpuSeconds,
                           long startedEpochMillis, long uptimeMillis, int restarts,
                           StopReason lastStop, int exitStatus, List<KillCount> kills,
                           double growthBytesPerSecond, long sampleCostNanos, long samples) {
        this(name, command, state, pid, rssBytes, peakRssBytes, limit, grace, processes, cpuSeconds,
                startedEpochMillis, uptimeMillis, restarts, lastStop, exitStatus, kills, growthBytesPerSecond,
                sampleCostNanos, samples, RestartStatus.NONE, List.of());
    }

    /** Whether a tree of the program runs now (not before its start, in BACKOFF, or once it is over). */
    public boolean isUp() {
        return pid != 0 && state.hasTree();
    }

    /** Percent of the limit in use, or NaN without a limit. */
    public double percentOfLimit() {
        return limit.isSet() ? 100.0 * rssBytes / limit.bytes() : Double.NaN;
    }
}
