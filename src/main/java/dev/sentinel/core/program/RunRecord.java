package dev.sentinel.core.program;

/**
 * One run of a program, for {@code history}: when it started, how long it lasted, how high it
 * went, how it ended and why. Immutable; the running run is replaced by its finished record when
 * its tree is gone.
 *
 * @param run 1 for the first run, then 2, 3, ...
 * @param durationMillis how long it ran, or -1 while it runs
 * @param peakRssBytes the highest tree RSS of the run (0 while it runs: the snapshot has the live one)
 * @param exitStatus the main process's own exit status (128+N for signal N), or -1 while it runs
 * @param stoppedBy why Sentinel stopped the tree, or null if it ended by itself
 * @param killed whether SIGKILL was needed
 * @param startFailed whether the program could not be started at all ({@code exitStatus} is 126 or 127)
 */
public record RunRecord(int run, long startedEpochMillis, long durationMillis, long peakRssBytes, int exitStatus,
                        StopReason stoppedBy, boolean killed, boolean startFailed) {

    /** A run that has just started. */
    static RunRecord running(int run, long startedEpochMillis) {
        return new RunRecord(run, startedEpochMillis, -1, 0, -1, null, false, false);
    }

    public boolean isRunning() {
        return durationMillis < 0;
    }

    /**
     * The status the run ends with as Sentinel reports it: after a memory stop 143 when the tree
     * ended within the grace and 137 when SIGKILL was needed, whatever the program's own status (a
     * program that catches SIGTERM and exits 0 must not turn a leak into a pass); otherwise the
     * program's own.
     */
    public int sentinelStatus() {
        return sentinelStatus(stoppedBy, killed, exitStatus);
    }

    static int sentinelStatus(StopReason stoppedBy, boolean killed, int exitStatus) {
        if (stoppedBy == StopReason.KERNEL_OOM || stoppedBy == StopReason.CONTAINER) {
            return 128 + 9;
        }
        if (stoppedBy == StopReason.MEMORY) {
            return killed ? 128 + 9 : 128 + 15;
        }
        return exitStatus;
    }
}
