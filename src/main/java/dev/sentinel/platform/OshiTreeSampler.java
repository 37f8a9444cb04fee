package dev.sentinel.platform;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import oshi.SystemInfo;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Samples a tree through OSHI. Portable but costly: {@code getDescendantProcesses} reads every
 * process on the machine, so a tick costs milliseconds on a busy host where {@link ProcTreeSampler}
 * costs microseconds. Used where the kernel lacks {@code /proc/PID/task/TID/children}
 * (CONFIG_PROC_CHILDREN), and as a cross-check in tests.
 */
public final class OshiTreeSampler implements Sampler {

    private final OperatingSystem os;
    private final long rootPid;
    /** Processes seen before, by pid, with their start time: counted even after re-parenting. */
    private final Map<Integer, Long> known = new HashMap<>();
    private final Map<Integer, Long> lastCpu = new HashMap<>();
    private long departedCpuTicks;

    public OshiTreeSampler(OperatingSystem os, long rootPid) {
        this.os = os;
        this.rootPid = rootPid;
    }

    public static OshiTreeSampler create(long rootPid) {
        return new OshiTreeSampler(new SystemInfo().getOperatingSystem(), rootPid);
    }

    @Override
    public TreeSample sample() {
        long start = System.nanoTime();
        Map<Integer, OSProcess> found = new HashMap<>();
        OSProcess root = os.getProcess((int) rootPid);
        if (root != null && isLive(root)) {
            found.put(root.getProcessID(), root);
        }
        for (OSProcess p : os.getDescendantProcesses((int) rootPid, this::isLive, null, 0)) {
            found.put(p.getProcessID(), p);
        }
        for (Map.Entry<Integer, Long> k : known.entrySet()) {
            if (!found.containsKey(k.getKey())) {
                OSProcess p = os.getProcess(k.getKey());
                if (p != null && isLive(p) && p.getStartTime() == k.getValue()) {
                    found.put(p.getProcessID(), p);
                }
            }
        }
        for (Integer gone : List.copyOf(known.keySet())) {
            if (!found.containsKey(gone)) {
                known.remove(gone);
                departedCpuTicks += lastCpu.getOrDefault(gone, 0L);
                lastCpu.remove(gone);
            }
        }
        List<ProcessSample> out = new ArrayList<>(found.size());
        long rss = 0;
        long cpu = departedCpuTicks;
        for (OSProcess p : found.values()) {
            known.putIfAbsent(p.getProcessID(), p.getStartTime());
            long ticks = (p.getKernelTime() + p.getUserTime()) / 10;
            lastCpu.put(p.getProcessID(), ticks);
            long pgid = p.getProcessID() == rootPid ? rootPid : groupOf(p);
            int depth = p.getProcessID() == rootPid ? 0 : p.getParentProcessID() == rootPid ? 1 : 2;
            out.add(new ProcessSample(p.getProcessID(), p.getParentProcessID(), pgid, depth, p.getName(),
                    p.getCommandLine().isEmpty() ? p.getName() : p.getCommandLine(), stateChar(p),
                    p.getResidentSetSize(), ticks, p.getThreadCount(), p.getStartTime()));
            rss += p.getResidentSetSize();
            cpu += ticks;
        }
        out.sort((a, b) -> a.pid() == rootPid ? -1 : b.pid() == rootPid ? 1 : Long.compare(a.pid(), b.pid()));
        return new TreeSample(out, rss, cpu, System.nanoTime() - start);
    }

    /** OSHI does not report process groups; on Linux it is in the stat line it already reads. */
    private static long groupOf(OSProcess p) {
        try {
            byte[] b = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Integer.toString(p.getProcessID()),
                    "stat"));
            ProcStat s = ProcStat.parse(b, b.length);
            return s == null ? -1 : s.pgid();
        } catch (java.io.IOException | SecurityException e) {
            return -1;
        }
    }

    private boolean isLive(OSProcess p) {
        return p.getState() != OSProcess.State.ZOMBIE && p.getState() != OSProcess.State.INVALID;
    }

    private static char stateChar(OSProcess p) {
        return switch (p.getState()) {
            case RUNNING -> 'R';
            case SLEEPING -> 'S';
            case WAITING -> 'D';
            case STOPPED -> 'T';
            default -> '?';
        };
    }

    @Override
    public void close() {
        known.clear();
    }
}
