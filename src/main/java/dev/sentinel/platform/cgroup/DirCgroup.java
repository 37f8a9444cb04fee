package dev.sentinel.platform.cgroup;

import dev.sentinel.platform.PidList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongPredicate;

/**
 * A program's cgroup: a v2 directory, a v1 memory directory, or both (hybrid). Which files carry
 * memory is fixed at creation: v1 where there is a v1 directory, v2 only where v2 has the memory
 * controller. Reads share one buffer under this object's lock, so that the sampling loop's reads
 * allocate nothing per file beyond the open.
 */
final class DirCgroup implements ProgramCgroup {

    /** A pass of kill(2) can miss children forked meanwhile; a few more passes catch those. */
    private static final int KILL_PASSES = 4;

    private final String name;
    private final Path v2;
    private final Path v1;
    private final boolean v2Memory;
    private final CgroupFiles files;
    private final Runnable onRemove;
    private final ReadBuffer buffer = new ReadBuffer();
    /** Where the memory controller is (v1 first, as {@link #memoryUsageBytes}), or null. */
    private final WorkingSet workingSet;
    private volatile String lastError;

    DirCgroup(String name, Path v2, Path v1, boolean v2Memory, CgroupFiles files, Runnable onRemove) {
        this.name = name;
        this.v2 = v2;
        this.v1 = v1;
        this.v2Memory = v2Memory && v2 != null;
        this.files = files;
        this.onRemove = onRemove;
        this.workingSet = v1 != null ? WorkingSet.v1(v1) : this.v2Memory ? WorkingSet.v2(v2) : null;
    }

    @Override
    public String name() {
        return name;
    }

    /** The directories, v2 first (null-free). */
    List<Path> dirs() {
        List<Path> out = new ArrayList<>(2);
        if (v2 != null) {
            out.add(v2);
        }
        if (v1 != null) {
            out.add(v1);
        }
        return out;
    }

    @Override
    public List<Path> procsFiles() {
        List<Path> out = new ArrayList<>(2);
        for (Path d : dirs()) {
            out.add(d.resolve("cgroup.procs"));
        }
        return List.copyOf(out);
    }

    @Override
    public long[] pids() {
        Path procs = (v2 != null ? v2 : v1).resolve("cgroup.procs");
        synchronized (buffer) {
            try {
                return buffer.read(procs).pids();
            } catch (IOException | RuntimeException e) {
                failed("cannot read", procs, e);
                return PidList.NONE;
            }
        }
    }

    @Override
    public boolean populated() {
        if (v2 == null) {
            return pids().length > 0;
        }
        return read(v2.resolve("cgroup.events"), "populated", 0) == 1;
    }

    @Override
    public Path eventsFile() {
        return v2 == null ? null : v2.resolve("cgroup.events");
    }

    @Override
    public Path memoryEventsFile() {
        return v2Memory ? v2.resolve("memory.events") : null;
    }

    @Override
    public Path usageFile() {
        return v1 == null ? null : v1.resolve("memory.usage_in_bytes");
    }

    @Override
    public Path oomControlFile() {
        return v1 == null ? null : v1.resolve("memory.oom_control");
    }

    @Override
    public Path eventControlFile() {
        return v1 == null ? null : v1.resolve("cgroup.event_control");
    }

    @Override
    public boolean killAll(LongPredicate killOne) {
        if (v2 != null) {
            Path kill = v2.resolve("cgroup.kill");
            if (Files.exists(kill)) {
                boolean any = populated();
                try {
                    files.write(kill, "1");
                    return any;
                } catch (IOException e) {
                    failed("cannot write", kill, e);
                    // fall through to one kill(2) per pid
                }
            }
        }
        boolean any = false;
        long[] killed = PidList.NONE;
        for (int pass = 0; pass < KILL_PASSES; pass++) {
            long[] now = pids();
            boolean fresh = false;
            for (long pid : now) {
                if (pid > 1 && Arrays.binarySearch(killed, pid) < 0) {
                    killOne.test(pid);
                    fresh = true;
                }
            }
            if (!fresh) {
                break;
            }
            any = true;
            killed = union(killed, now);
        }
        return any;
    }

    @Override
    public KernelLimits setLimits(long backstopBytes, long highBytes, boolean allowSwap) throws CgroupException {
        if (v1 != null) {
            return setV1(backstopBytes, allowSwap);
        }
        if (v2Memory) {
            return setV2(backstopBytes, highBytes, allowSwap);
        }
        return new KernelLimits(-1, -1, false, "no kernel limit (no memory controller)");
    }

    private KernelLimits setV2(long backstopBytes, long highBytes, boolean allowSwap) throws CgroupException {
        Path max = v2.resolve("memory.max");
        Path high = v2.resolve("memory.high");
        if (backstopBytes != 0) {
            write(max, limit(backstopBytes, "max"));
        }
        if (highBytes != 0) {
            write(high, limit(highBytes, "max"));
        }
        StringBuilder d = new StringBuilder();
        Path group = v2.resolve("memory.oom.group");
        boolean oomGroup = Files.exists(group);
        if (oomGroup) {
            // An OOM kill then takes the whole program, not one process of a half-dead tree.
            write(group, "1");
        }
        Path swap = v2.resolve("memory.swap.max");
        boolean swapOff = false;
        if (Files.exists(swap)) {
            write(swap, allowSwap ? "max" : "0");
            swapOff = !allowSwap;
        }
        long maxNow = readBack(max);
        long highNow = readBack(high);
        d.append("memory.max ").append(CgroupText.size(maxNow));
        if (highNow >= 0) {
            d.append(", memory.high ").append(CgroupText.size(highNow));
        }
        d.append(swapOff ? ", swap off" : ", swap allowed");
        if (oomGroup) {
            d.append(", oom.group");
        }
        return new KernelLimits(maxNow, highNow, swapOff, d.toString());
    }

    private KernelLimits setV1(long backstopBytes, boolean allowSwap) throws CgroupException {
        Path limit = v1.resolve("memory.limit_in_bytes");
        Path memsw = v1.resolve("memory.memsw.limit_in_bytes");
        boolean hasMemsw = Files.exists(memsw);
        if (backstopBytes != 0) {
            String value = limit(backstopBytes, "-1");
            if (!hasMemsw) {
                write(limit, value);
            } else {
                String swValue = allowSwap ? "-1" : value;
                // The kernel keeps limit <= memsw at every step: write first whichever keeps it.
                long target = backstopBytes < 0 ? Long.MAX_VALUE : backstopBytes;
                long memswNow = readBack(memsw);
                if (memswNow < 0 || target <= memswNow) {
                    write(limit, value);
                    write(memsw, swValue);
                } else {
                    write(memsw, swValue);
                    write(limit, value);
                }
            }
        }
        long limitNow = readBack(limit);
        boolean swapOff = false;
        StringBuilder d = new StringBuilder("memory.limit_in_bytes ").append(CgroupText.size(limitNow));
        if (hasMemsw) {
            long memswNow = readBack(memsw);
            swapOff = limitNow >= 0 && memswNow == limitNow;
            d.append(swapOff ? ", memsw the same (no swap)" : ", memsw " + CgroupText.size(memswNow));
        }
        return new KernelLimits(limitNow, -1, swapOff, d.toString());
    }

    @Override
    public long oomKills() {
        if (v1 != null) {
            return read(v1.resolve("memory.oom_control"), "oom_kill", 0);
        }
        if (v2Memory) {
            return read(v2.resolve("memory.events"), "oom_kill", 0);
        }
        return 0;
    }

    @Override
    public long memoryUsageBytes() {
        if (v1 != null) {
            return readValue(v1.resolve("memory.usage_in_bytes"));
        }
        if (v2Memory) {
            return readValue(v2.resolve("memory.current"));
        }
        return -1;
    }

    @Override
    public long workingSetBytes() {
        if (workingSet == null) {
            return -1;
        }
        synchronized (workingSet) {
            long bytes = workingSet.bytes();
            if (bytes < 0) {
                lastError = "cannot read " + workingSet.usageFile() + " or the memory.stat beside it";
            }
            return bytes;
        }
    }

    @Override
    public long cpuMicros() {
        return v2 == null ? -1 : read(v2.resolve("cpu.stat"), "usage_usec", -1);
    }

    @Override
    public void remove() {
        if (workingSet != null) {
            synchronized (workingSet) {
                workingSet.close();
            }
        }
        for (Path d : dirs()) {
            try {
                files.rmdir(d);
            } catch (IOException e) {
                // Busy until its last process is gone, or already removed: the caller retries or
                // the next Sentinel's stale cleanup takes it.
                if (Files.exists(d)) {
                    failed("cannot remove", d, e);
                }
            }
        }
        onRemove.run();
    }

    @Override
    public String lastError() {
        return lastError;
    }

    @Override
    public String toString() {
        return "cgroup " + name + " " + dirs();
    }

    private long read(Path file, String key, long missing) {
        synchronized (buffer) {
            try {
                return buffer.read(file).keyed(key, missing);
            } catch (IOException | RuntimeException e) {
                failed("cannot read", file, e);
                return missing;
            }
        }
    }

    private long readValue(Path file) {
        synchronized (buffer) {
            try {
                return buffer.read(file).value();
            } catch (IOException | RuntimeException e) {
                failed("cannot read", file, e);
                return -1;
            }
        }
    }

    private long readBack(Path file) throws CgroupException {
        synchronized (buffer) {
            try {
                return buffer.read(file).value();
            } catch (IOException | RuntimeException e) {
                throw new CgroupException("cannot read back " + file + ": " + why(e), e);
            }
        }
    }

    private void write(Path file, String value) throws CgroupException {
        try {
            files.write(file, value);
        } catch (IOException e) {
            String reason = CgroupText.reason(e);
            String hint = reason.contains("busy") && file.getFileName().toString().contains("limit")
                    ? " (the program uses more and the kernel could not reclaim enough)" : "";
            throw new CgroupException("cannot set " + file.getFileName() + " of " + file.getParent() + " to "
                    + value + ": " + reason + hint, e);
        }
    }

    private static String limit(long bytes, String unlimited) {
        return bytes < 0 ? unlimited : Long.toString(bytes);
    }

    private void failed(String what, Path path, Exception e) {
        lastError = what + " " + path + ": " + why(e);
    }

    private static String why(Exception e) {
        return e instanceof IOException io ? CgroupText.reason(io) : "unexpected content (" + e.getMessage() + ")";
    }

    private static long[] union(long[] sortedA, long[] b) {
        long[] out = Arrays.copyOf(sortedA, sortedA.length + b.length);
        System.arraycopy(b, 0, out, sortedA.length, b.length);
        Arrays.sort(out);
        return out;
    }
}
