package dev.sentinel.platform;

import java.nio.file.Files;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Chooses how to sample trees on this machine. */
public final class Samplers {

    private Samplers() {
    }

    /**
     * The /proc tree walk where the kernel offers {@code /proc/PID/task/TID/children}
     * (CONFIG_PROC_CHILDREN, on in common distribution kernels), skipping idle trees by their CPU
     * clocks where those can be read; OSHI otherwise.
     */
    public static Sampler.Factory best(ProcFs proc, long pageSize) {
        return best(proc, pageSize, null, null);
    }

    /**
     * As {@link #best(ProcFs, long)}, for a program in a cgroup.
     *
     * @param members the cgroup's processes, or null without one
     * @param programsCpu all programs' cgroups' CPU microseconds together (-1 if unknown), or null
     */
    public static Sampler.Factory best(ProcFs proc, long pageSize, Supplier<long[]> members, LongSupplier programsCpu) {
        long self = ProcessHandle.current().pid();
        if (Files.isReadable(proc.children(self, self))) {
            // One clock for every sampler: they all run on the supervisor loop.
            ProcessClock clock = CpuClocks.system();
            return pid -> new ProcTreeSampler(proc, pid, pageSize, clock, System::nanoTime, members, programsCpu);
        }
        return OshiTreeSampler::create;
    }
}
