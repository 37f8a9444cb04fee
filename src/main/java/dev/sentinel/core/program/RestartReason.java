package dev.sentinel.core.program;

/** Why a program was started again; {@link #label()} is the {@code reason} label of the restart metric. */
public enum RestartReason {
    /** The previous run was stopped for crossing its memory limit. */
    MEMORY("memory"),
    /** The previous run exited non-zero or was killed by a signal Sentinel did not send. */
    FAILURE("failure"),
    /** The previous run exited 0 and the policy is {@code always}. */
    EXIT("exit"),
    /** Someone ordered it: {@code restart} or {@code start} over the socket, or a key. */
    ORDER("order"),
    /** The previous run's alive-level check failed {@code threshold} times in a row. */
    CHECK_FAILED("check-failed"),
    /** The previous run stopped sending {@code WATCHDOG=1}. */
    WATCHDOG("watchdog"),
    /** The previous run was not ready within {@code ready_timeout}. */
    READY_TIMEOUT("ready-timeout"),
    /** It was stopped while a program it requires was down, and that program is ready again. */
    REQUIRED("required");

    private final String label;

    RestartReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
