package dev.sentinel.settings;

import dev.sentinel.platform.Signal;
import java.time.Duration;
import java.util.List;

/**
 * How one program is guarded.
 *
 * @param name display name
 * @param command the program and its arguments
 * @param limit the initial memory limit of the whole tree
 * @param grace time between the first signal and SIGKILL
 * @param interval the slowest sampling interval
 * @param tolerate how long the tree may stay over the limit, sample after sample, before it is stopped
 * @param restart when and how the program is started again
 * @param stopSignal the first tier of every stop Sentinel makes (a memory stop, an order, a shutdown)
 * @param kernel the kernel's backstop limit where the program has a cgroup with a memory controller
 */
public record GuardianConfig(String name, List<String> command, MemoryLimit limit, Duration grace, Duration interval,
                             Duration tolerate, RestartSettings restart, Signal stopSignal, KernelLimit kernel) {

    public GuardianConfig {
        command = List.copyOf(command);
        if (stopSignal == null || stopSignal == Signal.KILL) {
            throw new IllegalArgumentException("the stop signal must be set and must not be SIGKILL");
        }
        if (grace.isNegative() || interval.isNegative() || interval.isZero() || tolerate.isNegative()) {
            throw new IllegalArgumentException("grace and tolerate must be >= 0 and interval > 0");
        }
        if (kernel == null) {
            throw new IllegalArgumentException("the kernel limit must be set (auto, off or a size)");
        }
    }

    /** With the kernel limit {@code auto}. */
    public GuardianConfig(String name, List<String> command, MemoryLimit limit, Duration grace, Duration interval,
                          Duration tolerate, RestartSettings restart, Signal stopSignal) {
        this(name, command, limit, grace, interval, tolerate, restart, stopSignal, KernelLimit.AUTO);
    }

    /** Stopped with SIGTERM first. */
    public GuardianConfig(String name, List<String> command, MemoryLimit limit, Duration grace, Duration interval,
                          Duration tolerate, RestartSettings restart) {
        this(name, command, limit, grace, interval, tolerate, restart, Signal.TERM);
    }

    /** A program that is never restarted and stopped at the first sample over its limit. */
    public GuardianConfig(String name, List<String> command, MemoryLimit limit, Duration grace, Duration interval) {
        this(name, command, limit, grace, interval, Duration.ZERO, RestartSettings.NEVER);
    }

    public GuardianConfig withRestart(RestartSettings r) {
        return new GuardianConfig(name, command, limit, grace, interval, tolerate, r, stopSignal, kernel);
    }

    public GuardianConfig withTolerate(Duration t) {
        return new GuardianConfig(name, command, limit, grace, interval, t, restart, stopSignal, kernel);
    }

    public GuardianConfig withKernel(KernelLimit k) {
        return new GuardianConfig(name, command, limit, grace, interval, tolerate, restart, stopSignal, k);
    }
}
