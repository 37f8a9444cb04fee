package dev.sentinel.platform;

import java.util.function.LongSupplier;

/**
 * Counts a tree by its cgroup's working set (usage less inactive file cache, as the kubelet counts
 * it for evictions): the processes and their RSS come from another sampler, the tree's total from
 * the cgroup. Page cache the program's reads and writes fill, and that the kernel would reclaim
 * before an OOM kill, is not counted; kernel memory of the cgroup (page tables, sockets) is.
 * Where the cgroup cannot be read for a sample the tree counts by its RSS.
 */
public final class WorkingSetSampler extends InnerTreeSampler {

    private final LongSupplier workingSet;

    /** @param workingSet the cgroup's working set in bytes, -1 when it cannot be read */
    public WorkingSetSampler(Sampler inner, LongSupplier workingSet) {
        super(inner);
        this.workingSet = workingSet;
    }

    @Override
    public TreeSample sample() {
        TreeSample rss = inner.sample();
        long start = System.nanoTime();
        long ws = workingSet.getAsLong();
        long cost = rss.costNanos() + System.nanoTime() - start;
        return new TreeSample(rss.processes(), ws >= 0 ? ws : rss.rssBytes(), rss.cpuTicks(), cost);
    }
}
