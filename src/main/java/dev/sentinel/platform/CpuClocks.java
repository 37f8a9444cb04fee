package dev.sentinel.platform;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Another process's CPU clock through {@code clock_gettime(2)}: the clock id the kernel builds
 * for a pid ({@code MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED)}) reads the scheduler's
 * nanosecond runtime of the whole thread group, in one system call, with no file to open and no
 * permission check. {@code /proc/PID/stat}'s CPU fields count in 10 ms ticks, too coarse to tell
 * "did not run" from "ran a few milliseconds and allocated a gigabyte".
 *
 * <p>Bound by JNA's direct mapping, which costs half of an interface call: this runs for every
 * process of every tree four times a second. Not thread-safe (one buffer), like the samplers
 * that share it on the supervisor loop.
 */
public final class CpuClocks implements ProcessClock {

    /** {@code CPUCLOCK_SCHED} in the kernel's clock id encoding: the precise runtime. */
    private static final int CPUCLOCK_SCHED = 2;

    private static final boolean BOUND = bind();

    private final long[] timespec = new long[2];

    private CpuClocks() {
    }

    /**
     * The real clock, or {@link ProcessClock#NONE} if libc cannot be bound here or this kernel
     * (a sandbox, an emulator) does not read other processes' CPU clocks.
     */
    public static ProcessClock system() {
        // struct timespec as two longs: 64-bit Linux only.
        if (!BOUND || Native.LONG_SIZE != Long.BYTES) {
            return NONE;
        }
        CpuClocks clocks = new CpuClocks();
        return clocks.cpuNanos(ProcessHandle.current().pid()) > 0 ? clocks : NONE;
    }

    private static boolean bind() {
        try {
            Native.register(CpuClocks.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    static int clockId(long pid) {
        return (~(int) pid << 3) | CPUCLOCK_SCHED;
    }

    @Override
    public long cpuNanos(long pid) {
        if (clock_gettime(clockId(pid), timespec) != 0) {
            return -1;
        }
        return timespec[0] * 1_000_000_000L + timespec[1];
    }

    // Direct mapping: the name and signature are libc's. struct timespec is two longs on 64-bit Linux.
    private static native int clock_gettime(int clockId, long[] timespec);
}
