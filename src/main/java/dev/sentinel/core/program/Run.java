package dev.sentinel.core.program;

import dev.sentinel.platform.Child;
import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.ProcessSample;
import dev.sentinel.platform.Sampler;
import dev.sentinel.platform.TreeSample;

/**
 * One run of a program as it happens: its main process, the samples of its tree, and what they
 * add up to. A new run gets a new object; the last one stays for the snapshot once it is over.
 * Loop thread only.
 */
final class Run {

    /** Before the first start: no run, no process. */
    static final Run NONE = new Run(0, null, null, 0, 0, 0, null);

    final int number;
    /** The main process, or null (no run yet, or a start that failed). */
    final Child child;
    final Sampler sampler;
    /** Taken just before the launch: a run never counts shorter than the program lived. */
    final long startedNanos;
    final long startedEpochMillis;
    /** The pid the snapshot shows: this run's, or for a start that failed the last run's. */
    final long pid;
    final GrowthRate growth;
    long endedNanos;
    /** The main process's exit status once it has exited, or -1. */
    int mainExit = -1;
    TreeSample last = TreeSample.EMPTY;
    /** The sample before {@link #last}: names the process a kernel OOM kill took. */
    TreeSample previous = TreeSample.EMPTY;
    /** The sample before {@link #previous}: a victim that began to die a sample early still shows its size here. */
    TreeSample beforePrevious = TreeSample.EMPTY;
    /**
     * The sample in which the tree was biggest: the kernel's notification of an OOM kill can come
     * many samples after the victim released its memory, but the victim was big at the peak.
     */
    TreeSample atPeak = TreeSample.EMPTY;
    long lastSampleNanos;
    long peakRss;
    long cpuTicks;
    double growthNow;
    /** Processes of the tree the last sample could not read (hidepid, not dumpable); see {@link Sampler#hidden()}. */
    int hidden;
    /** Whether the hidden processes were told of in this run: once is enough. */
    boolean hiddenTold;
    /** The kernel's OOM kills in the cgroup before this run was launched. */
    long oomKillsBefore;

    Run(int number, Child child, Sampler sampler, long startedNanos, long startedEpochMillis, long pid,
        GrowthRate growth) {
        this.number = number;
        this.child = child;
        this.sampler = sampler;
        this.startedNanos = startedNanos;
        this.startedEpochMillis = startedEpochMillis;
        this.pid = pid;
        this.growth = growth;
        this.endedNanos = startedNanos;
    }

    /** A run whose program could not be started: it ended as it began, with the launch's 126/127. */
    static Run failed(int number, long nanos, long epochMillis, long lastPid, int exitStatus) {
        Run r = new Run(number, null, null, nanos, epochMillis, lastPid, null);
        r.mainExit = exitStatus;
        return r;
    }

    /** Takes a sample of the tree at {@code now}. */
    void sample(long now) {
        beforePrevious = previous;
        previous = last;
        last = sampler.sample();
        hidden = sampler.hidden();
        lastSampleNanos = now;
        if (last.rssBytes() > peakRss) {
            peakRss = last.rssBytes();
            atPeak = last;
        }
        cpuTicks = Math.max(cpuTicks, last.cpuTicks());
        growth.add(now, last.rssBytes());
        growthNow = growth.bytesPerSecond(now);
    }

    /** Whether {@code pid} is of this run's tree: sampled in it, or a descendant of its main process. */
    boolean owns(long pid, ProcFs proc) {
        if (pid == this.pid) {
            return true;
        }
        for (ProcessSample p : last.processes()) {
            if (p.pid() == pid) {
                return true;
            }
        }
        return proc.descendsFrom(pid, this.pid);
    }

    boolean exited() {
        return mainExit >= 0;
    }

    long durationNanos() {
        return endedNanos - startedNanos;
    }
}
