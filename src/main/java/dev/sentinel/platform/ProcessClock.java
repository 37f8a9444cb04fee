package dev.sentinel.platform;

/**
 * How long a process has run on a CPU, summed over all its threads (living and ended), in
 * nanoseconds. A process whose reading has not moved since the last look has not run: it cannot
 * have forked, exec'd, started a thread or faulted in memory, so its last full reading still holds.
 */
@FunctionalInterface
public interface ProcessClock {

    /** For machines (or tests) where the clock cannot be read: every process always reads in full. */
    ProcessClock NONE = pid -> -1;

    /** The process's CPU time in nanoseconds, or a negative number if it cannot be read (gone, refused). */
    long cpuNanos(long pid);
}
