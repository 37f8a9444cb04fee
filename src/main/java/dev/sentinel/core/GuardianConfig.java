package dev.sentinel.core;

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
 */
public record GuardianConfig(String name, List<String> command, MemoryLimit limit, Duration grace, Duration interval) {

    public GuardianConfig {
        command = List.copyOf(command);
        if (grace.isNegative() || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("grace must be >= 0 and interval > 0");
        }
    }
}
