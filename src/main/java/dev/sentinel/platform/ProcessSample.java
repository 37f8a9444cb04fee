package dev.sentinel.platform;

/**
 * One process of the guarded tree as seen by one sample.
 *
 * @param depth 0 for the main process, 1 for its children, and so on; a process whose
 *              parent died (re-parented away from the tree) keeps being counted, at depth 1
 * @param command the command line read when the process was first seen (its name if unreadable)
 * @param cpuTicks user plus system CPU time in USER_HZ ticks (1/100 s)
 * @param startTicks start time in ticks since boot; with the pid it identifies the process
 */
public record ProcessSample(long pid, long ppid, long pgid, int depth, String name, String command,
                            char state, long rssBytes, long cpuTicks, int threads, long startTicks) {
}
