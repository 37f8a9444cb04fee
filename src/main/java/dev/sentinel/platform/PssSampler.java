package dev.sentinel.platform;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Counts a tree by its proportional set size: the processes found by another sampler, each counted
 * by the {@code Pss:} of its {@code smaps_rollup} instead of its RSS, so that memory shared by N of
 * them counts once in all. Each process's amount in the sample is its PSS.
 *
 * <p>{@code smaps_rollup} walks every page table of the process under its mmap lock, a cost that
 * grows with the memory mapped (a 150 MiB process costs well over a hundred times a {@code statm}
 * read; see bench/results/2026-12-07-measure.md). So a process's PSS is read again only when its
 * RSS, which the inner sampler reads anyway, has moved by more than {@link #RSS_MOVE_FRACTION} (and
 * at least {@link #RSS_MOVE_MIN_BYTES}) since, or when the last read is {@link #REUSE_NANOS} old:
 * a leak moves the RSS and is read at once, while a process whose own pages stand still can only
 * see its share change as others map or unmap what it shares, which the age bound catches. Where
 * that process has not run since (its CPU ticks stand) and the tree has the same processes, nothing
 * in the tree can have moved its share, and the bound is {@link #QUIET_REUSE_NANOS} instead: an
 * idle tree costs a read per process every half minute, not every two seconds. A
 * process whose file cannot be read (it is exiting, or hidden) counts by its RSS: never less than
 * the truth.
 */
public final class PssSampler extends InnerTreeSampler {

    /** The longest one process's PSS is reused while its RSS stands. */
    static final long REUSE_NANOS = 2_000_000_000L;
    /** The longest one process's PSS is reused while it has not run and the tree kept its processes. */
    static final long QUIET_REUSE_NANOS = 30_000_000_000L;
    /** A move of the RSS by more than this share of it is a read at once. */
    static final double RSS_MOVE_FRACTION = 1.0 / 32;
    static final long RSS_MOVE_MIN_BYTES = 1 << 20;

    private final ProcFs proc;
    private final LongSupplier nanoTime;
    private final long reuseNanos;
    private final Map<Long, Known> known = new HashMap<>();
    private final byte[] buffer = new byte[4096];
    private long reads;
    /** Counts changes of the tree's set of processes (one came or went). */
    private long membership;

    public PssSampler(Sampler inner, ProcFs proc) {
        this(inner, proc, System::nanoTime, REUSE_NANOS);
    }

    /** With {@code reuseNanos} 0 every process's file is read at every sample (what the benchmark compares). */
    public PssSampler(Sampler inner, ProcFs proc, long reuseNanos) {
        this(inner, proc, System::nanoTime, reuseNanos);
    }

    PssSampler(Sampler inner, ProcFs proc, LongSupplier nanoTime) {
        this(inner, proc, nanoTime, REUSE_NANOS);
    }

    private PssSampler(Sampler inner, ProcFs proc, LongSupplier nanoTime, long reuseNanos) {
        super(inner);
        this.proc = proc;
        this.nanoTime = nanoTime;
        this.reuseNanos = reuseNanos;
    }

    /** Opens one over each sampler {@code inner} opens. */
    public static Sampler.Factory over(Sampler.Factory inner, ProcFs proc) {
        return pid -> new PssSampler(inner.open(pid), proc);
    }

    /** Whether this kernel has {@code smaps_rollup} (Linux 4.14 and later) and lets Sentinel read its own. */
    public static boolean available(ProcFs proc) {
        return java.nio.file.Files.isReadable(proc.smapsRollup(ProcessHandle.current().pid()));
    }

    @Override
    public TreeSample sample() {
        TreeSample rss = inner.sample();
        long start = nanoTime.getAsLong();
        // A process that came or went can change the share of every other: their PSS is not quiet.
        Set<Long> seen = new HashSet<>();
        boolean same = true;
        for (ProcessSample p : rss.processes()) {
            Known k = known.get(p.pid());
            same &= k != null && k.startTicks == p.startTicks();
            seen.add(p.pid());
        }
        if (!same || known.size() != seen.size()) {
            membership++;
        }
        List<ProcessSample> out = new ArrayList<>(rss.count());
        long total = 0;
        for (ProcessSample p : rss.processes()) {
            long pss = pss(p, start);
            total += pss;
            out.add(new ProcessSample(p.pid(), p.ppid(), p.pgid(), p.depth(), p.name(), p.command(), p.state(),
                    pss, p.cpuTicks(), p.threads(), p.startTicks()));
        }
        if (known.size() > seen.size()) {
            known.entrySet().removeIf(e -> {
                boolean gone = !seen.contains(e.getKey());
                if (gone) {
                    e.getValue().close();
                }
                return gone;
            });
        }
        return new TreeSample(out, total, rss.cpuTicks(), rss.costNanos() + nanoTime.getAsLong() - start);
    }

    /** How many smaps_rollup files were read so far (for the benchmark and tests). */
    public long reads() {
        return reads;
    }

    private long pss(ProcessSample p, long now) {
        Known k = known.get(p.pid());
        if (k != null && k.startTicks != p.startTicks()) {
            k.close();
            known.remove(p.pid());
            k = null;
        }
        if (k != null && k.pss >= 0 && Math.abs(p.rssBytes() - k.rssAtRead) <= Math.max(RSS_MOVE_MIN_BYTES,
                (long) (k.rssAtRead * RSS_MOVE_FRACTION))) {
            long age = now - k.readNanos;
            boolean quiet = p.cpuTicks() == k.cpuAtRead && k.membershipAtRead == membership;
            if (age < reuseNanos || (quiet && reuseNanos > 0 && age < QUIET_REUSE_NANOS)) {
                return k.pss;
            }
        }
        if (k == null) {
            k = new Known(p.startTicks());
            known.put(p.pid(), k);
        }
        long pss = k.read(proc, p.pid());
        k.readNanos = now;
        k.rssAtRead = p.rssBytes();
        k.cpuAtRead = p.cpuTicks();
        k.membershipAtRead = membership;
        k.pss = pss;
        return pss < 0 ? p.rssBytes() : pss;
    }

    @Override
    public void close() {
        known.values().forEach(Known::close);
        known.clear();
        super.close();
    }

    /** One process's last PSS, with its file kept open: seq_file produces the text anew at offset 0. */
    private final class Known {
        final long startTicks;
        RandomAccessFile file;
        long readNanos;
        long rssAtRead;
        long cpuAtRead;
        long membershipAtRead;
        long pss = -1;

        Known(long startTicks) {
            this.startTicks = startTicks;
        }

        long read(ProcFs proc, long pid) {
            try {
                if (file == null) {
                    file = new RandomAccessFile(proc.smapsRollup(pid).toFile(), "r");
                }
                file.seek(0);
                int total = 0;
                int n;
                while (total < buffer.length && (n = file.read(buffer, total, buffer.length - total)) > 0) {
                    total += n;
                }
                reads++;
                return SmapsRollup.pssBytes(buffer, total);
            } catch (IOException | SecurityException e) {
                close();
                return -1;
            }
        }

        void close() {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException ignored) {
                    // a /proc file: nothing to lose
                }
                file = null;
            }
        }
    }
}
