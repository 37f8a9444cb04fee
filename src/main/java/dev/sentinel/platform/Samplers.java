package dev.sentinel.platform;

import java.nio.file.Files;

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
        long self = ProcessHandle.current().pid();
        if (Files.isReadable(proc.children(self, self))) {
            // One clock for every sampler: they all run on the supervisor loop.
            ProcessClock clock = CpuClocks.system();
            return pid -> new ProcTreeSampler(proc, pid, pageSize, clock);
        }
        return OshiTreeSampler::create;
    }
}
