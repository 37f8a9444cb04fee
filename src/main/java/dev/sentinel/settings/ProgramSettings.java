package dev.sentinel.settings;

import dev.sentinel.platform.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one program is set to, from the command line or a config file: what runs, its
 * memory limit, how it is stopped, sampled and kept up, in which order it starts, and where its
 * output and events go. Immutable and compared by value: a reload restarts a program exactly when
 * its settings differ from the running ones'. Built with {@link #builder}; a field's default is
 * the command line's (in a config file {@code restart} defaults to {@code on-failure}).
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
    public static final int DEFAULT_PRIORITY = 999;

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

    /** Builds {@link ProgramSettings}; each setter returns the builder. */
    public static final class Builder {
        private String name;
        private List<String> command;
        private Path cwd;
        private Map<String, String> env = Map.of();
        private MemoryLimit limit = new MemoryLimit(512L << 20);
        private Duration tolerate = Duration.ZERO;
        private KernelLimit kernel = KernelLimit.AUTO;
        private Duration grace = Duration.ofSeconds(3);
        private Signal stopSignal = Signal.TERM;
        private Duration interval = Duration.ofMillis(250);
        private RestartSettings restart = RestartSettings.NEVER;
        private int priority = DEFAULT_PRIORITY;
        private boolean autostart = true;
        private OutputTarget output = OutputTarget.PREFIX;
        private HookSettings hook = HookSettings.NONE;

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
            kernel = s.kernel;
            grace = s.grace;
            stopSignal = s.stopSignal;
            interval = s.interval;
            restart = s.restart;
            priority = s.priority;
            autostart = s.autostart;
            output = s.output;
            hook = s.hook;
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

        public Builder kernel(KernelLimit v) {
            kernel = v;
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

        public Builder restart(RestartSettings v) {
            restart = v;
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

        public Builder hook(HookSettings v) {
            hook = v;
            return this;
        }

        public ProgramSettings build() {
            return new ProgramSettings(name, command, cwd, env, limit, tolerate, kernel, grace, stopSignal, interval,
                    restart, priority, autostart, output, hook);
        }
    }
}
