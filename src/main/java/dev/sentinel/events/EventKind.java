package dev.sentinel.events;

/**
 * What happened. {@link #label()} is the {@code kind} of a journal line and of the socket's
 * {@code events}: a documented, stable set (README, "The journal"); kinds are added, never renamed.
 */
public enum EventKind {
    /** A run started: {@code pid}, {@code limit_bytes}, {@code restart_reason} (null for the first run). */
    STARTED("started"),
    /** A restart could not start the program (it was removed, made unexecutable): {@code exit_status}, {@code error}. */
    START_FAILED("start-failed"),
    /** The tree went over its limit: {@code rss_bytes}, {@code limit_bytes}, {@code processes}, {@code top}. */
    LIMIT_CROSSED("limit-crossed"),
    /** The tree came back under its limit within the tolerance: {@code rss_bytes}, {@code duration_seconds}. */
    LIMIT_CLEARED("limit-cleared"),
    /** Sentinel signalled the tree to stop it: {@code signal}, {@code reason}, {@code pid}, {@code processes}. */
    SIGNAL_SENT("signal-sent"),
    /** The tree of a run is gone: {@code pid}, {@code exit_status}, {@code reason}, {@code duration_seconds}, ... */
    EXITED("exited"),
    /** A restart is due: {@code reason}, {@code delay_seconds}, {@code restart}, {@code max_restarts}. */
    RESTART_SCHEDULED("restart-scheduled"),
    /** Sentinel gave up restarting: {@code restarts}, {@code exit_status}. */
    GAVE_UP("gave-up"),
    /** An order arrived (socket, keys, a signal to Sentinel) or a signal was forwarded. */
    ORDER("order"),
    /** The limit changed: {@code limit_bytes}, {@code previous_limit_bytes}. */
    LIMIT_CHANGED("limit-changed"),
    /** A reload of the config file was applied or refused: {@code applied}, {@code changes}. */
    RELOADED("reload"),
    /**
     * The kernel's OOM killer killed a process of the tree at the kernel limit: {@code pid} (0 if
     * unknown), {@code command}, {@code rss_bytes} (its last sampled RSS), {@code kernel_limit_bytes},
     * {@code oom_kills} (how many the kernel counted).
     */
    KERNEL_OOM("kernel-oom"),
    /**
     * The program became ready (its check first passed, it sent {@code READY=1}): {@code readiness},
     * {@code after_seconds} (since its start). Only for programs with a check or a readiness other
     * than {@code started}: for the others the {@code started} event says it.
     */
    READY("ready"),
    /** A running program stopped being ready: {@code why} (its check is failing, it sent {@code STOPPING=1}, ...). */
    NOT_READY("not-ready"),
    /** Its check failed {@code threshold} times in a row: {@code check}, {@code error}, {@code failures}, {@code action}. */
    CHECK_FAILED("check-failed"),
    /** Its check passes (the first time in a run, or again after failing): {@code check}, {@code detail}. */
    CHECK_PASSED("check-passed"),
    /** Something went wrong around the program, not with it (a socket or journal problem). */
    WARNING("warning");

    private final String label;

    EventKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
