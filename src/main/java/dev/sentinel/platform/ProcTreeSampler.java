package dev.sentinel.platform;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Samples a tree by walking only the tree: {@code /proc/PID/task/TID/children} finds
 * descendants and each known process's {@code stat} is re-read through a file it keeps open.
 * Unlike a scan of all of /proc, the cost grows with the tree, not with the machine.
 *
 * <p>Files are read with {@link RandomAccessFile} (seek, then a native read into a byte array)
 * rather than a {@code FileChannel}: an idle Sentinel samples four times a second, so the JIT
 * takes a minute or more to compile the JDK's channel code, and until then the channel's dozens
 * of interpreted methods per read were most of the cost of a tick.
 *
 * <p>Most guarded trees are idle most of the time, and a process that has not run since it was
 * last read cannot have changed what it is read for (memory, children, threads, command). So a
 * sample first reads each known process's CPU clock (one system call, no file; see
 * {@link ProcessClock}); when none has moved, the last sample stands and the four system calls
 * per process of a full read are skipped. (A process joins a tree only by a fork, which its
 * parent runs, or by adoption, which follows a death, and a process that died reads no clock.)
 * Memory can still change under a process that does not run in a few ways it does not cause
 * itself (khugepaged collapsing pages, swapoff, a debugger or a userfaultfd handler writing into
 * it), and a clock can lag while a process runs without scheduler ticks (nohz_full CPUs), so
 * every tree is read in full at least every {@link #FULL_READ_NANOS} regardless.
 */
public final class ProcTreeSampler implements Sampler {

    /** Thread lists of multi-threaded processes are re-listed at least this often. */
    private static final int TASK_RELIST_TICKS = 20;
    /** The JDK reads up to 8 KiB through a buffer on the stack, and mallocs one for anything longer. */
    private static final int READ_CHUNK = 8192;
    /**
     * A new process's command is read again this long after it was first seen: seen between fork
     * and exec it still shows its parent's command line (or none), and a program exec'ing one of
     * the same name (a shell a shell, java through the JDK's spawn helper into java) changes no
     * name a sample could notice. Counted in time, not ticks: ticks can be a millisecond apart.
     */
    private static final long COMMAND_SETTLE_NANOS = 500_000_000L;
    /** A children file read returning fewer bytes than this has ended: a page less the longest "pid ". */
    private static final int SHORT_READ = 4096 - 32;
    /** The longest a tree whose processes have not run goes without a full read. */
    static final long FULL_READ_NANOS = 5_000_000_000L;
    /**
     * A process listed as the tree's whose stat cannot be opened has ended, unless it is still
     * listed this long after: a parent reaps a child that ended within milliseconds.
     */
    static final long HIDDEN_AFTER_NANOS = 1_000_000_000L;

    /** What {@code Tracked.read} returns for bytes that are not a stat line of the process. */
    private static final ProcStat GARBLED = new ProcStat(-1, "", '?', 0, 0, 0, 0, 0, 0, 0);

    private final ProcFs proc;
    private final long rootPid;
    private final long pageSize;
    private final ProcessClock clock;
    private final LongSupplier nanoTime;
    private final Map<Long, Tracked> known = new LinkedHashMap<>();
    /** Shared by all reads of a sample. */
    private final byte[] buffer = new byte[64 * 1024];
    private long departedCpuTicks;
    private long generation;
    private long sampleNanos;
    private TreeSample last;
    private long lastFullReadNanos;
    /** The tree's members by the kernel's word (its cgroup's processes), or null without a cgroup. */
    private final Supplier<long[]> members;
    /**
     * Whether the last full read found every process of the tree in the cgroup. Only then does
     * the cgroups' CPU time speak for the tree: a process moved out of it (by root, or by a program
     * that makes cgroups of its own) runs without moving that count, and would be sampled only
     * every {@link #FULL_READ_NANOS}.
     */
    private boolean treeInCgroup;
    /** The CPU time of every guarded program together (one read for all), -1 if unknown; or null. */
    private final LongSupplier programsCpu;
    /** {@link #programsCpu} as read just before the last full read's files. */
    private long programsCpuAtFullRead = -1;
    /** Every process of the last full read had settled: its command is final. */
    private boolean allSettled;
    /**
     * Pids of the tree whose stat could not be opened at the last full read, with the time of the
     * first full read of those since that could not open it; and those of this read so far.
     */
    private Map<Long, Long> unopened = new HashMap<>();
    private Map<Long, Long> unopenedNow = new HashMap<>();
    /** Of {@link #unopened}, those that could not be opened for {@link #HIDDEN_AFTER_NANOS} or longer. */
    private int hidden;
    /** Processes handed over by Sentinel's subreaper (orphans of this tree), read at the next sample. */
    private long[] adopted = new long[0];

    /** A sampler that reads every process in full at every sample. */
    public ProcTreeSampler(ProcFs proc, long rootPid, long pageSize) {
        this(proc, rootPid, pageSize, ProcessClock.NONE);
    }

    /** A sampler that skips the full read of a tree none of whose processes ran since the last one. */
    public ProcTreeSampler(ProcFs proc, long rootPid, long pageSize, ProcessClock clock) {
        this(proc, rootPid, pageSize, clock, System::nanoTime);
    }

    /** With time moved by a test ({@code nanoTime} stands in for {@link System#nanoTime()}). */
    ProcTreeSampler(ProcFs proc, long rootPid, long pageSize, ProcessClock clock, LongSupplier nanoTime) {
        this(proc, rootPid, pageSize, clock, nanoTime, null, null);
    }

    /**
     * A sampler that also counts every process its cgroup holds and, while no guarded program at
     * all has used CPU since its last full read, skips even the clocks.
     *
     * @param members the cgroup's processes (read at every full read), or null without a cgroup
     * @param programsCpu microseconds of CPU of all programs' cgroups together, -1 if unknown;
     *                    or null without cgroups
     */
    public ProcTreeSampler(ProcFs proc, long rootPid, long pageSize, ProcessClock clock, LongSupplier nanoTime,
                           Supplier<long[]> members, LongSupplier programsCpu) {
        this.proc = proc;
        this.rootPid = rootPid;
        this.pageSize = pageSize;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.members = members;
        this.programsCpu = programsCpu;
    }

    @Override
    public int hidden() {
        return hidden;
    }

    @Override
    public void adopt(long pid) {
        if (!known.containsKey(pid)) {
            adopted = Arrays.copyOf(adopted, adopted.length + 1);
            adopted[adopted.length - 1] = pid;
        }
    }

    @Override
    public TreeSample sample() {
        long start = nanoTime.getAsLong();
        sampleNanos = start;
        generation++;
        long allCpu = programsCpu == null ? -1 : programsCpu.getAsLong();
        if (adopted.length == 0 && nothingRan(start, allCpu)) {
            return new TreeSample(last.processes(), last.rssBytes(), last.cpuTicks(), nanoTime.getAsLong() - start);
        }
        lastFullReadNanos = start;
        programsCpuAtFullRead = allCpu;
        List<ProcessSample> out = new ArrayList<>(Math.max(4, known.size()));
        unopenedNow.clear();
        visit(rootPid, 0, out);
        if (known.size() > out.size()) {
            // Processes whose parent left the tree: still ours, still counted.
            for (Tracked t : List.copyOf(known.values())) {
                if (t.generation != generation) {
                    visit(t.pid, 1, out);
                }
            }
        }
        // Orphans no sample saw being born (a double fork), by the subreaper's or the cgroup's word.
        for (long pid : adopted) {
            visitIfNew(pid, out);
        }
        adopted = new long[0];
        long[] inCgroup = members == null ? null : members.get();
        if (inCgroup != null) {
            for (long pid : inCgroup) {
                visitIfNew(pid, out);
            }
        }
        treeInCgroup = inCgroup != null && allAmong(out, inCgroup);
        // A process listed (by its parent, the cgroup or the subreaper) whose stat cannot be opened
        // had just ended; still listed a second later, it lives where Sentinel cannot see it
        // (hidepid, for a process that is not dumpable or is another user's). A process that hid
        // after its file was opened stays counted: reads of an open stat file are not checked.
        int longUnopened = 0;
        for (Map.Entry<Long, Long> e : unopenedNow.entrySet()) {
            Long since = unopened.get(e.getKey());
            if (since != null) {
                e.setValue(since);
            }
            if (start - e.getValue() >= HIDDEN_AFTER_NANOS) {
                longUnopened++;
            }
        }
        hidden = longUnopened;
        Map<Long, Long> swap = unopened;
        unopened = unopenedNow;
        unopenedNow = swap;
        boolean settled = true;
        for (Tracked t : known.values()) {
            settled &= t.commandSettled;
        }
        allSettled = settled;
        long rss = 0;
        long cpu = departedCpuTicks;
        for (ProcessSample p : out) {
            rss += p.rssBytes();
            cpu += p.cpuTicks();
        }
        last = new TreeSample(out, rss, cpu, nanoTime.getAsLong() - start);
        return last;
    }

    /**
     * Whether the last sample still stands: read in full less than {@link #FULL_READ_NANOS} ago,
     * every process in it settled, and none of them has run since (each clock is read before the
     * process's files, so a process that ran after its files were read shows a moved clock here).
     * The clocks read here are the next full read's starting point: a process that runs while it
     * is read is read again.
     */
    private boolean nothingRan(long now, long allCpu) {
        if (last == null || known.isEmpty() || now - lastFullReadNanos >= FULL_READ_NANOS) {
            return false;
        }
        if (allCpu >= 0 && allCpu == programsCpuAtFullRead && allSettled && treeInCgroup) {
            // No process of any guarded program has run since this tree's last full read (their
            // cgroups' CPU time, one read for all of them): neither have this tree's, and their
            // clocks, last read before that full read, still stand.
            return true;
        }
        boolean still = true;
        for (Tracked t : known.values()) {
            long ran = clock.cpuNanos(t.pid);
            still &= ran >= 0 && ran == t.clockNanos && t.commandSettled;
            t.clockNanos = ran;
            t.clockGeneration = generation;
        }
        return still;
    }

    /** Whether every process sampled is one of the cgroup's {@code members}. */
    private static boolean allAmong(List<ProcessSample> out, long[] members) {
        long[] sorted = members.clone();
        Arrays.sort(sorted);
        for (ProcessSample p : out) {
            if (Arrays.binarySearch(sorted, p.pid()) < 0) {
                return false;
            }
        }
        return true;
    }

    private void visit(long pid, int depth, List<ProcessSample> out) {
        Tracked t = known.get(pid);
        boolean fresh = t == null;
        if (fresh) {
            t = open(pid);
            if (t == null) {
                unopenedNow.put(pid, sampleNanos);
                return;
            }
        }
        if (t.clockGeneration != generation) {
            t.clockNanos = clock.cpuNanos(pid);
            t.clockGeneration = generation;
        }
        ProcStat stat = t.read();
        if (stat == GARBLED) {
            // Bytes that are not a stat line: no word on whether it lives, so it is not taken for
            // gone (its memory is not dropped, as a lower total would clear a tolerance) nor read
            // as numbers that could be anything. Its last reading stands; a new one is tried again
            // at the next sample.
            if (fresh) {
                t.close();
            } else if (t.last != null) {
                t.generation = generation;
                out.add(t.last);
            }
            return;
        }
        if (stat == null || stat.isDead() || (!fresh && stat.startTicks() != t.startTicks)) {
            forget(t);
            return;
        }
        if (fresh) {
            t.startTicks = stat.startTicks();
            t.firstSeenNanos = sampleNanos;
            known.put(pid, t);
        }
        boolean settling = !t.commandSettled && sampleNanos - t.firstSeenNanos >= COMMAND_SETTLE_NANOS;
        if (!stat.name().equals(t.name) || settling) {
            // New, or it exec'd another program (a wrapper script becoming java), or it is time for
            // the one re-read that catches an exec no name change showed.
            t.commandSettled |= settling;
            t.name = stat.name();
            t.command = readCommand(pid, stat.name());
        }
        t.generation = generation;
        t.cpuTicks = stat.cpuTicks();
        t.last = new ProcessSample(pid, stat.ppid(), stat.pgid(), depth, stat.name(), t.command,
                stat.state(), stat.rssPages() * pageSize, stat.cpuTicks(), stat.threads(), stat.startTicks());
        out.add(t.last);
        for (long child : t.children(stat.threads())) {
            Tracked c = known.get(child);
            if (c == null || c.generation != generation) {
                visit(child, depth + 1, out);
            }
        }
    }

    private void visitIfNew(long pid, List<ProcessSample> out) {
        Tracked t = known.get(pid);
        if (t == null || t.generation != generation) {
            visit(pid, 1, out);
        }
    }

    private Tracked open(long pid) {
        RandomAccessFile stat = openQuietly(proc.stat(pid));
        return stat == null ? null : new Tracked(pid, stat);
    }

    private static RandomAccessFile openQuietly(Path file) {
        try {
            return new RandomAccessFile(file.toFile(), "r");
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static void closeQuietly(RandomAccessFile ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a /proc file cannot lose data
            }
        }
    }

    private void forget(Tracked t) {
        if (known.remove(t.pid) == t) {
            departedCpuTicks += t.cpuTicks;
        }
        t.close();
    }

    private String readCommand(long pid, String fallback) {
        try {
            byte[] raw = Files.readAllBytes(proc.cmdline(pid));
            int len = raw.length;
            while (len > 0 && raw[len - 1] == 0) {
                len--;
            }
            if (len == 0) {
                return fallback;
            }
            for (int i = 0; i < len; i++) {
                if (raw[i] == 0) {
                    raw[i] = ' ';
                }
            }
            return new String(raw, 0, len, StandardCharsets.UTF_8);
        } catch (IOException | SecurityException e) {
            return fallback;
        }
    }

    @Override
    public void close() {
        known.values().forEach(Tracked::close);
        known.clear();
    }

    /** A process Sentinel has seen, with its stat file kept open for cheap re-reads. */
    private final class Tracked {
        final long pid;
        final RandomAccessFile statFile;
        long startTicks;
        long cpuTicks;
        long generation;
        String name;
        String command;
        long firstSeenNanos;
        boolean commandSettled;
        /** The CPU clock read just before this process's files, -1 if unknown. */
        long clockNanos = -1;
        long clockGeneration = -1;
        /** What the last good read of it saw: it stands for a read that returned no stat line. */
        ProcessSample last;
        long[] tids = new long[0];
        RandomAccessFile[] childFiles = new RandomAccessFile[0];
        int tidsForThreads = -1;
        int ticksSinceRelist;

        Tracked(long pid, RandomAccessFile statFile) {
            this.pid = pid;
            this.statFile = statFile;
        }

        /**
         * The stat line; null when the process is gone (the kernel answers a read of a reaped
         * process's open stat file with ESRCH, and nothing, never a partial line); {@link #GARBLED}
         * when bytes came that are not a stat line.
         */
        ProcStat read() {
            try {
                statFile.seek(0);
                int n = statFile.read(buffer, 0, READ_CHUNK);
                if (n <= 0) {
                    return null;
                }
                ProcStat stat = ProcStat.parse(buffer, n);
                return stat == null || stat.rssPages() < 0 || stat.pid() != pid ? GARBLED : stat;
            } catch (IOException e) {
                return null;
            }
        }

        long[] children(int threads) {
            if (threads <= 1) {
                if (tids.length != 1 || tids[0] != pid) {
                    setTasks(new long[] {pid});
                }
            } else if (threads != tidsForThreads || ++ticksSinceRelist >= TASK_RELIST_TICKS) {
                setTasks(listTasks());
                tidsForThreads = threads;
                ticksSinceRelist = 0;
            }
            long[] found = new long[4];
            int count = 0;
            for (int t = 0; t < tids.length; t++) {
                RandomAccessFile ch = childFiles[t];
                if (ch == null) {
                    ch = childFiles[t] = openQuietly(proc.children(pid, tids[t]));
                    if (ch == null) {
                        continue;
                    }
                }
                int total = readAll(ch);
                byte[] b = buffer;
                long v = -1;
                for (int i = 0; i <= total; i++) {
                    byte c = i < total ? b[i] : (byte) ' ';
                    if (c >= '0' && c <= '9') {
                        v = (v < 0 ? 0 : v * 10) + (c - '0');
                    } else if (v >= 0) {
                        if (count == found.length) {
                            found = Arrays.copyOf(found, count * 2);
                        }
                        found[count++] = v;
                        v = -1;
                    }
                }
            }
            return count == found.length ? found : Arrays.copyOf(found, count);
        }

        /**
         * Reads a whole children file from its start into the shared buffer; 0 if it is gone. A
         * seq_file read stops short of the request only at the end of the file or when the
         * kernel's own buffer (at least a page) is full, so a read well short of a page is the
         * whole file, and the read that would return 0 is saved: for almost every process there
         * is exactly one read.
         */
        private int readAll(RandomAccessFile ch) {
            try {
                ch.seek(0);
                int total = 0;
                int n;
                while (total < buffer.length
                        && (n = ch.read(buffer, total, Math.min(READ_CHUNK, buffer.length - total))) > 0) {
                    total += n;
                    if (n < SHORT_READ) {
                        break;
                    }
                }
                return total;
            } catch (IOException e) {
                // The thread ended while we looked; its children are found through the others next tick.
                return 0;
            }
        }

        private void setTasks(long[] newTids) {
            closeChildFiles();
            tids = newTids;
            childFiles = new RandomAccessFile[newTids.length];
        }

        private void closeChildFiles() {
            for (RandomAccessFile ch : childFiles) {
                closeQuietly(ch);
            }
        }

        private long[] listTasks() {
            List<Long> list = new ArrayList<>();
            try (DirectoryStream<Path> dir = Files.newDirectoryStream(proc.tasks(pid))) {
                for (Path p : dir) {
                    try {
                        list.add(Long.parseLong(p.getFileName().toString()));
                    } catch (NumberFormatException ignored) {
                        // not a task directory
                    }
                }
            } catch (IOException | SecurityException e) {
                return new long[] {pid};
            }
            return list.stream().mapToLong(Long::longValue).toArray();
        }

        void close() {
            closeQuietly(statFile);
            closeChildFiles();
        }
    }
}
