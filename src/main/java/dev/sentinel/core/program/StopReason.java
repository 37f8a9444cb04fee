package dev.sentinel.core.program;

/** Why Sentinel stopped a tree; {@link #label()} is the metric label and the word in status lines. */
public enum StopReason {
    MEMORY("memory", "memory limit exceeded"),
    STOP("stop", "stop ordered"),
    KILL("kill", "kill ordered"),
    RESTART("restart", "restart ordered"),
    SIGNAL("signal", "sentinel was signalled"),
    LEFTOVERS("leftovers", "main process exited, leaving processes behind"),
    /** A reload changed the program's settings (it starts again with the new ones) or removed it. */
    RELOAD("reload", "reload changed or removed it"),
    /** The kernel's OOM killer struck in the program's cgroup (at the kernel limit); Sentinel killed the rest. */
    KERNEL_OOM("kernel-oom", "the kernel killed it at its kernel memory limit"),
    /** Its alive-level check failed {@code threshold} times in a row. */
    CHECK_FAILED("check-failed", "its health check failed"),
    /** It stopped sending {@code WATCHDOG=1} (or sent {@code WATCHDOG=trigger}). */
    WATCHDOG("watchdog", "its watchdog ran out"),
    /** It was not ready within {@code ready_timeout}. */
    READY_TIMEOUT("ready-timeout", "it was not ready in time"),
    /** A program it requires is down or not ready. */
    REQUIRED("required", "a program it requires is down"),
    /** An essential program ended for good: Sentinel stops the others and exits with its status. */
    ESSENTIAL("essential", "an essential program ended"),
    /**
     * The container Sentinel runs in neared its memory limit: SIGKILL at once, whatever the grace,
     * before the kernel's group OOM kill takes the whole container (Sentinel with it).
     */
    CONTAINER("container", "container limit near");

    private final String label;
    private final String description;

    StopReason(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** True for the stops the tree's memory caused (Sentinel's limit or the kernel's): exit 143/137, restarted as a memory stop. */
    public boolean isMemory() {
        return this == MEMORY || this == KERNEL_OOM || this == CONTAINER;
    }

    /** True for the stops that judge the program broken: a failed check, a silent watchdog, no readiness in time. */
    public boolean isHealth() {
        return this == CHECK_FAILED || this == WATCHDOG || this == READY_TIMEOUT;
    }

    /** True when someone asked for the stop (an order or a signal to Sentinel): such a run is never restarted by policy. */
    public boolean isOrder() {
        return this == STOP || this == KILL || this == RESTART || this == SIGNAL || this == RELOAD || this == REQUIRED
                || this == ESSENTIAL;
    }
}
