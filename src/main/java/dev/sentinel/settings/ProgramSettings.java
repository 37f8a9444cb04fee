package dev.sentinel.settings;

import dev.sentinel.events.EventKind;
import dev.sentinel.platform.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything one program is set to, from the command line or a config file: what runs, its
 * memory limit, how it is stopped, sampled and kept up, in which order it starts, and where its
 * output and events go. Immutable and compared by value: a reload restarts a program exactly when
 * its settings differ from the running ones'. Built with {@link #builder}; a field's default is
 * the command line's, from {@link ProgramOptions} (in a config file {@code restart} defaults to
 * {@code on-failure}).
 *
 * @param name the program's name: display, socket orders, metrics' {@code name} label
 * @param command the program and its arguments
 * @param cwd its working directory, or null for Sentinel's own
 * @param env variables set over Sentinel's environment
 * @param limit the initial memory limit of the whole tree
 * @param tolerate how long the tree may stay over the limit, sample after sample, before it is stopped
 * @param kernel the kernel's backstop limit where the program has a cgroup with a memory controller
 * @param grace time between the first signal and SIGKILL
 * @param stopSignal the first tier of every stop Sentinel makes (a memory stop, an order, a shutdown)
 * @param interval the slowest sampling interval
 * @param restart when and how the program is started again
 * @param priority lower starts first and stops last; equal priorities start together and stop in parallel
 * @param autostart false: it waits for {@code start NAME}
 * @param output where its output goes
 * @param hook the command run for its lifecycle events, if any
 */
public record ProgramSettings(String name, List<String> command, Path cwd, Map<String, String> env,
                              MemoryLimit limit, Duration tolerate, KernelLimit kernel,
                              Duration grace, Signal stopSignal, Duration interval,
                              RestartSettings restart, int priority, boolean autostart,
                              OutputTarget output, HookSettings hook) {

    /** The default priority, as supervisord's. */
    public static final int DEFAULT_PRIORITY = ProgramOptions.PRIORITY.defaultValue();

    public ProgramSettings {
        Objects.requireNonNull(name, "name");
        command = List.copyOf(command);
        env = Map.copyOf(env);
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(output, "output");
        if (stopSignal == null || stopSignal == Signal.KILL) {
            throw new IllegalArgumentException("the stop signal must be set and must not be SIGKILL");
        }
        if (grace.isNegative() || interval.isNegative() || interval.isZero() || tolerate.isNegative()) {
            throw new IllegalArgumentException("grace and tolerate must be >= 0 and interval > 0");
        }
        if (kernel == null) {
            throw new IllegalArgumentException("the kernel limit must be set (auto, off or a size)");
        }
        if (hook == null) {
            hook = HookSettings.NONE;
        }
    }

    /** A program called {@code name} running {@code command}, every other setting at its default. */
    public static Builder builder(String name, List<String> command) {
        return new Builder(name, command);
    }

    /** These settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /**
     * Builds {@link ProgramSettings}; each setter returns the builder. Every field starts at the
     * command line's default from {@link ProgramOptions}, so the table is the only place a default
     * is written. A setting made of several options (the restart settings, the kernel limit and its
     * swap, the hook) has a setter for each, which the table's options use, and one for the whole.
     */
    public static final class Builder {
        private String name;
        private List<String> command;
        private Path cwd;
        private Map<String, String> env = Map.of();
        private MemoryLimit limit = ProgramOptions.MEMORY_LIMIT.defaultValue();
        private Duration tolerate = ProgramOptions.TOLERATE.defaultValue();
        private KernelLimit kernel = ProgramOptions.KERNEL_LIMIT.defaultValue();
        private boolean allowSwap = ProgramOptions.ALLOW_SWAP.defaultValue();
        private Duration grace = ProgramOptions.GRACE.defaultValue();
        private Signal stopSignal = ProgramOptions.STOP_SIGNAL.defaultValue();
        private Duration interval = ProgramOptions.INTERVAL.defaultValue();
        private RestartPolicy restartPolicy = ProgramOptions.RESTART.defaultValue();
        private Duration restartDelay = ProgramOptions.RESTART_DELAY.defaultValue();
        private Duration restartDelayMax = ProgramOptions.RESTART_DELAY_MAX.defaultValue();
        private Duration stableAfter = ProgramOptions.STABLE_AFTER.defaultValue();
        private int maxRestarts = ProgramOptions.MAX_RESTARTS.defaultValue();
        private int priority = ProgramOptions.PRIORITY.defaultValue();
        private boolean autostart = ProgramOptions.AUTOSTART.defaultValue();
        private OutputTarget output = ProgramOptions.OUTPUT.defaultValue();
        private String hookCommand = ProgramOptions.HOOK.defaultValue();
        private Set<EventKind> hookEvents = ProgramOptions.HOOK_EVENTS.defaultValue();
        private Duration hookTimeout = ProgramOptions.HOOK_TIMEOUT.defaultValue();

        private Builder(String name, List<String> command) {
            this.name = name;
            this.command = command;
        }

        private Builder(ProgramSettings s) {
            this(s.name, s.command);
            cwd = s.cwd;
            env = s.env;
            limit = s.limit;
            tolerate = s.tolerate;
            kernel(s.kernel);
            grace = s.grace;
            stopSignal = s.stopSignal;
            interval = s.interval;
            restart(s.restart);
            priority = s.priority;
            autostart = s.autostart;
            output = s.output;
            hook(s.hook);
        }

        public Builder name(String v) {
            name = v;
            return this;
        }

        public Builder command(List<String> v) {
            command = v;
            return this;
        }

        public Builder cwd(Path v) {
            cwd = v;
            return this;
        }

        public Builder env(Map<String, String> v) {
            env = v;
            return this;
        }

        public Builder limit(MemoryLimit v) {
            limit = v;
            return this;
        }

        public Builder tolerate(Duration v) {
            tolerate = v;
            return this;
        }

        /** The kernel limit and its swap setting. */
        public Builder kernel(KernelLimit v) {
            kernel = v;
            allowSwap = v.allowSwap();
            return this;
        }

        /** The kernel limit, whatever the swap setting. */
        public Builder kernelLimit(KernelLimit v) {
            kernel = v;
            return this;
        }

        public Builder allowSwap(boolean v) {
            allowSwap = v;
            return this;
        }

        public Builder grace(Duration v) {
            grace = v;
            return this;
        }

        public Builder stopSignal(Signal v) {
            stopSignal = v;
            return this;
        }

        public Builder interval(Duration v) {
            interval = v;
            return this;
        }

        /** All the restart settings at once. */
        public Builder restart(RestartSettings v) {
            restartPolicy = v.policy();
            restartDelay = v.delay();
            restartDelayMax = v.delayMax();
            stableAfter = v.stableAfter();
            maxRestarts = v.maxRestarts();
            return this;
        }

        public Builder restartPolicy(RestartPolicy v) {
            restartPolicy = v;
            return this;
        }

        public Builder restartDelay(Duration v) {
            restartDelay = v;
            return this;
        }

        public Builder restartDelayMax(Duration v) {
            restartDelayMax = v;
            return this;
        }

        public Builder stableAfter(Duration v) {
            stableAfter = v;
            return this;
        }

        public Builder maxRestarts(int v) {
            maxRestarts = v;
            return this;
        }

        public Builder priority(int v) {
            priority = v;
            return this;
        }

        public Builder autostart(boolean v) {
            autostart = v;
            return this;
        }

        public Builder output(OutputTarget v) {
            output = v;
            return this;
        }

        /** The whole hook at once. */
        public Builder hook(HookSettings v) {
            hookCommand = v.command();
            hookEvents = v.kinds();
            hookTimeout = v.timeout();
            return this;
        }

        public Builder hookCommand(String v) {
            hookCommand = v;
            return this;
        }

        public Builder hookEvents(Set<EventKind> v) {
            hookEvents = v;
            return this;
        }

        public Builder hookTimeout(Duration v) {
            hookTimeout = v;
            return this;
        }

        public ProgramSettings build() {
            return new ProgramSettings(name, command, cwd, env, limit, tolerate, kernel.withAllowSwap(allowSwap),
                    grace, stopSignal, interval,
                    new RestartSettings(restartPolicy, restartDelay, restartDelayMax, stableAfter, maxRestarts),
                    priority, autostart, output, new HookSettings(hookCommand, hookEvents, hookTimeout));
        }
    }
}
