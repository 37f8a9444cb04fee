package dev.sentinel.config;

import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.OutputTarget;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.RestartSettings;
import dev.sentinel.platform.Signal;
import java.time.Duration;

/**
 * What a program gets for a key that neither it nor [defaults] sets. The same as the command
 * line's defaults (cli/SentinelCommand), except the restart policy: a file describes programs to
 * keep up, so it restarts on failure, where one wrapped command runs once.
 */
public final class ConfigDefaults {

    public static final MemoryLimit MEMORY_LIMIT = new MemoryLimit(512L * 1024 * 1024);
    public static final Duration GRACE = Duration.ofSeconds(3);
    public static final Duration INTERVAL = Duration.ofMillis(250);
    public static final Duration TOLERATE = Duration.ZERO;
    public static final RestartPolicy RESTART = RestartPolicy.ON_FAILURE;
    public static final Duration RESTART_DELAY = RestartSettings.DEFAULT_DELAY;
    public static final Duration RESTART_DELAY_MAX = RestartSettings.DEFAULT_DELAY_MAX;
    public static final Duration STABLE_AFTER = RestartSettings.DEFAULT_STABLE_AFTER;
    public static final int MAX_RESTARTS = RestartSettings.DEFAULT_MAX_RESTARTS;
    public static final Signal STOP_SIGNAL = Signal.TERM;
    public static final int PRIORITY = ProgramSettings.DEFAULT_PRIORITY;
    public static final boolean AUTOSTART = true;
    public static final int INSTANCES = 1;
    public static final OutputTarget OUTPUT = OutputTarget.PREFIX;
    public static final boolean KEEP_RUNNING = false;
    public static final KernelLimit KERNEL_LIMIT = KernelLimit.AUTO;
    public static final boolean ALLOW_SWAP = false;

    /** More instances than this is a typo, not a plan (each one is a process tree and a dashboard row). */
    public static final int MAX_INSTANCES = 1000;

    private ConfigDefaults() {
    }
}
