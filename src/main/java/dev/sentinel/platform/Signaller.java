package dev.sentinel.platform;

/**
 * Sends signals. Implementations must be cheap (no process spawn per signal) because a
 * memory kill waits on them.
 */
public interface Signaller {

    /**
     * Sends {@code signal} to one process.
     *
     * @return true if it was delivered, false if no such process exists (already gone)
     */
    boolean signal(long pid, Signal signal);

    /**
     * Sends {@code signal} to process {@code pid} only if it is still the process that started at
     * {@code startTicks} (field 22 of /proc/PID/stat): a process of the tree that exited after the
     * last sample may have had its pid given to a bystander, which must never be hit. With
     * {@code startTicks} 0 (unknown) it is {@link #signal(long, Signal)}.
     *
     * @return true if it was delivered to that process; false if it is gone (or its pid is another's)
     */
    default boolean signal(long pid, long startTicks, Signal signal) {
        return signal(pid, signal);
    }

    /**
     * Sends {@code signal} to every process in process group {@code pgid}.
     *
     * @return true if at least one process received it, false if the group is empty
     */
    boolean signalGroup(long pgid, Signal signal);

    /**
     * Whether any process is still in group {@code pgid}. Catches processes forked so shortly
     * before their parent exited that no sample saw them.
     */
    boolean groupAlive(long pgid);
}
