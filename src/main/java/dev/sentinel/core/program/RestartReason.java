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
    ORDER("order");

    private final String label;

    RestartReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
