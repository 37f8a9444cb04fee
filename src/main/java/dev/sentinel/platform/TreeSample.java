package dev.sentinel.platform;

import java.util.List;

/**
 * The whole guarded tree at one moment.
 *
 * @param processes the live processes, main process first, then depth-first
 * @param rssBytes resident memory summed over {@code processes}
 * @param cpuTicks CPU ticks of the tree including processes that have already exited, so it
 *                 never goes down while the same program runs
 * @param costNanos how long taking this sample took
 */
public record TreeSample(List<ProcessSample> processes, long rssBytes, long cpuTicks, long costNanos) {

    public static final TreeSample EMPTY = new TreeSample(List.of(), 0, 0, 0);

    public TreeSample {
        processes = List.copyOf(processes);
    }

    public boolean isEmpty() {
        return processes.isEmpty();
    }

    public int count() {
        return processes.size();
    }
}
