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
 * @param health its check, readiness and watchdog
 * @param after the programs that must be ready before it starts (it stops before them)
 * @param requires programs it cannot run without: it stops while one is down or not ready (and is
 *                 also {@code after} them)
 * @param essential when it ends for good, Sentinel stops the rest and exits with its status
 * @param measure what the limit is compared with: the tree's RSS, its PSS or its cgroup's working set
 */
public record ProgramSettings(String name, List<String> command, Path cwd, Map<String, String> env,
                              MemoryLimit limit, Duration tolerate, KernelLimit kernel,
                              Duration grace, Signal stopSignal, Duration interval,
                              RestartSettings restart, int priority, boolean autostart,
                              OutputTarget output, HookSettings hook, HealthSettings health,
                              List<String> after, List<String> requires, boolean essential,
                              Measure measure) {

    /** The default priority, as supervisord's. */
    public static final int DEFAULT_PRIORITY = ProgramOptions.PRIORITY.defaultValue();

    public ProgramSettings {
        Objects.requireNonNull(name, "name");
        command = List.copyOf(command);
        env = Map.copyOf(env);
        Objects.requireNonNull(limit, "limit");
        Objects.requireNonNull(restart, "restart");
        Objects.requireNonNull(output, "output");
        if (measure == null) {
            measure = Measure.RSS;
        }
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
        if (health == null) {
            health = HealthSettings.NONE;
        }
        after = after == null ? List.of() : List.copyOf(after);
        requires = requires == null ? List.of() : List.copyOf(requires);
    }

    /**
     * Whether a running program with these settings can take {@code fresh} without a restart: they
     * differ at most in what is asked of it and when it starts (its check, {@code ready} other than
     * for a notify socket, {@code ready_timeout}, {@code after}, {@code requires}, {@code essential}),
     * never in how it runs.
     */
    public boolean retunableTo(ProgramSettings fresh) {
        boolean notifyChanges = (health.ready() == Readiness.NOTIFY) != (fresh.health.ready() == Readiness.NOTIFY);
        if (notifyChanges || equals(fresh)) {
            return false;
        }
        HealthSettings h = new HealthSettings(fresh.health.check(), fresh.health.ready(), health.watchdog(),
                fresh.health.readyTimeout());
        return toBuilder().health(h).after(fresh.after).requires(fresh.requires).essential(fresh.essential).build()
                .equals(fresh);
    }

    /** The programs that must be ready before this one starts: {@code after} and {@code requires}, once each. */
    public List<String> startsAfter() {
        if (requires.isEmpty()) {
            return after;
        }
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(after);
        all.addAll(requires);
        return List.copyOf(all);
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
        private String checkHttp;
        private String checkTcp;
        private List<String> checkExec;
        private Duration checkPeriod = ProgramOptions.CHECK_PERIOD.defaultValue();
        private Duration checkTimeout = ProgramOptions.CHECK_TIMEOUT.defaultValue();
        private int checkThreshold = ProgramOptions.CHECK_THRESHOLD.defaultValue();
        private Duration checkStartPeriod = ProgramOptions.CHECK_START_PERIOD.defaultValue();
        private CheckLevel checkLevel = ProgramOptions.CHECK_LEVEL.defaultValue();
        private CheckAction checkOnFailure = ProgramOptions.CHECK_ON_FAILURE.defaultValue();
        private Readiness ready = ProgramOptions.READY.defaultValue();
        private Duration watchdog = ProgramOptions.WATCHDOG.defaultValue();
        private Duration readyTimeout = ProgramOptions.READY_TIMEOUT.defaultValue();
        private List<String> after = List.of();
        private List<String> requires = List.of();
        private boolean essential = ProgramOptions.ESSENTIAL.defaultValue();
        private Measure measure = ProgramOptions.MEASURE.defaultValue();

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
            health(s.health);
            after = s.after;
            requires = s.requires;
            essential = s.essential;
            measure = s.measure;
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

        /** The whole health at once: the check, the readiness, the watchdog and the ready timeout. */
        public Builder health(HealthSettings v) {
            CheckSettings c = v.check();
            checkHttp = c.kind() == CheckSettings.Kind.HTTP ? c.target() : null;
            checkTcp = c.kind() == CheckSettings.Kind.TCP ? c.target() : null;
            checkExec = c.kind() == CheckSettings.Kind.EXEC ? c.exec() : null;
            checkPeriod = c.period();
            checkTimeout = c.timeout();
            checkThreshold = c.threshold();
            checkStartPeriod = c.startPeriod();
            checkLevel = c.level();
            checkOnFailure = c.onFailure();
            ready = v.ready();
            watchdog = v.watchdog();
            readyTimeout = v.readyTimeout();
            return this;
        }

        public Builder checkHttp(String v) {
            checkHttp = v;
            return this;
        }

        public Builder checkTcp(String v) {
            checkTcp = v;
            return this;
        }

        public Builder checkExec(List<String> v) {
            checkExec = v;
            return this;
        }

        public Builder checkPeriod(Duration v) {
            checkPeriod = v;
            return this;
        }

        public Builder checkTimeout(Duration v) {
            checkTimeout = v;
            return this;
        }

        public Builder checkThreshold(int v) {
            checkThreshold = v;
            return this;
        }

        public Builder checkStartPeriod(Duration v) {
            checkStartPeriod = v;
            return this;
        }

        public Builder checkLevel(CheckLevel v) {
            checkLevel = v;
            return this;
        }

        public Builder checkOnFailure(CheckAction v) {
            checkOnFailure = v;
            return this;
        }

        public Builder ready(Readiness v) {
            ready = v;
            return this;
        }

        public Builder watchdog(Duration v) {
            watchdog = v;
            return this;
        }

        public Builder readyTimeout(Duration v) {
            readyTimeout = v;
            return this;
        }

        public Builder after(List<String> v) {
            after = v;
            return this;
        }

        public Builder requires(List<String> v) {
            requires = v;
            return this;
        }

        public Builder essential(boolean v) {
            essential = v;
            return this;
        }

        public Builder measure(Measure v) {
            measure = v;
            return this;
        }

        /**
         * Null when the health settings fit together, otherwise one sentence: more than one check,
         * {@code ready = "check"} without one, a watchdog without notify.
         */
        public String healthProblem() {
            int checks = (checkHttp != null ? 1 : 0) + (checkTcp != null ? 1 : 0) + (checkExec != null ? 1 : 0);
            if (checks > 1) {
                return "a program has one check; keep one of check.http, check.tcp and check.exec.";
            }
            return health().problem();
        }

        private HealthSettings health() {
            return new HealthSettings(check(), ready, watchdog, readyTimeout);
        }

        private CheckSettings check() {
            CheckSettings.Kind kind = checkHttp != null ? CheckSettings.Kind.HTTP
                    : checkTcp != null ? CheckSettings.Kind.TCP
                    : checkExec != null ? CheckSettings.Kind.EXEC : CheckSettings.Kind.NONE;
            String target = switch (kind) {
                case HTTP -> checkHttp;
                case TCP -> checkTcp;
                case EXEC -> WordsType.describeCommand(checkExec);
                case NONE -> null;
            };
            if (kind == CheckSettings.Kind.NONE) {
                return CheckSettings.NONE;
            }
            return new CheckSettings(kind, target, kind == CheckSettings.Kind.EXEC ? checkExec : List.of(),
                    checkPeriod, checkTimeout, checkThreshold, checkStartPeriod, checkLevel, checkOnFailure);
        }

        /** @throws IllegalArgumentException when {@link #healthProblem()} has a sentence */
        public ProgramSettings build() {
            String problem = healthProblem();
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            return new ProgramSettings(name, command, cwd, env, limit, tolerate, kernel.withAllowSwap(allowSwap),
                    grace, stopSignal, interval,
                    new RestartSettings(restartPolicy, restartDelay, restartDelayMax, stableAfter, maxRestarts),
                    priority, autostart, output, new HookSettings(hookCommand, hookEvents, hookTimeout),
                    health(), after, requires, essential, measure);
        }
    }
}
