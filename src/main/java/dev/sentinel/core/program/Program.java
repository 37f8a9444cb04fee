package dev.sentinel.core.program;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventSink;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.RestartSettings;
import dev.sentinel.text.ByteSize;
import dev.sentinel.text.Durations;
import dev.sentinel.time.Clock;
import dev.sentinel.platform.Child;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.ProcessLauncher;
import dev.sentinel.platform.ProcessSample;
import dev.sentinel.platform.Sampler;
import dev.sentinel.platform.Signal;
import dev.sentinel.platform.Signaller;
import dev.sentinel.platform.TreeSample;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.DoubleSupplier;

/**
 * The state machine of one guarded program (see {@link ProgramState} for the diagram): it
 * starts the program, samples its tree, stops it in tiers when it crosses its limit (after the
 * tolerance, if any), and when the tree is gone asks the {@link RestartPolicy} and the
 * {@link Backoff} whether and when to start it again.
 *
 * <table>
 * <caption>transitions</caption>
 * <tr><th>state</th><th>event</th><th>next</th></tr>
 * <tr><td>STARTING</td><td>first sample sees the tree</td><td>RUNNING</td></tr>
 * <tr><td>STARTING, RUNNING</td><td>over the limit for the tolerance; an order; main exited leaving processes</td>
 *     <td>STOPPING</td></tr>
 * <tr><td>STOPPING</td><td>grace over</td><td>KILLING</td></tr>
 * <tr><td>any with a tree</td><td>tree gone</td><td>STARTING (ordered restart), BACKOFF (policy restarts),
 *     FATAL (gave up) or EXITED</td></tr>
 * <tr><td>BACKOFF</td><td>delay over, or {@code start}/{@code restart}</td><td>STARTING</td></tr>
 * <tr><td>BACKOFF</td><td>{@code stop}, {@code kill}, SIGINT/SIGTERM to Sentinel</td><td>EXITED</td></tr>
 * <tr><td>EXITED, FATAL</td><td>{@code start}, {@code restart}</td><td>STARTING</td></tr>
 * </table>
 *
 * Owned by the supervisor loop thread; every method must be called from it. Nothing here blocks
 * or sleeps: the grace period, the tolerance and the backoff delay are deadlines that
 * {@link #nextWakeNanos()} reports and {@link #tick()} acts on.
 */
public final class Program {

    /** While stopping, sample this often to notice the tree is gone. */
    static final long STOPPING_SAMPLE_NANOS = 10_000_000L;
    /** While killing, re-send SIGKILL this often to catch processes forked meanwhile. */
    static final long KILL_REPEAT_NANOS = 100_000_000L;
    /** How many runs {@code history} keeps. */
    static final int HISTORY_RUNS = 100;
    /** How many of the biggest processes a limit-crossed event names. */
    static final int TOP_PROCESSES = 5;
    private static final long NEVER = Long.MAX_VALUE;
    private static final long NOT_OVER = Long.MIN_VALUE;

    private final ProgramSettings config;
    private final ProcessLauncher launcher;
    private final LaunchSpec spec;
    private final Sampler.Factory samplers;
    private final Signaller signaller;
    private final SamplingPolicy policy;
    private final Clock clock;
    private final EventSink events;
    private final Runnable wakeup;
    private final Backoff backoff;
    /** The program's cgroup, or null: its tree is known from /proc alone. */
    private final Confinement cgroup;
    /** The kernel's hard limit on the cgroup in bytes, -1 for none. */
    private long kernelLimitBytes = -1;
    private boolean kernelLimitsApplied;
    /** The kernel's OOM kills in the cgroup already accounted for. */
    private long oomKillsSeen;
    /** The sample before {@link #last}: names the process an OOM kill took. */
    private TreeSample previous = TreeSample.EMPTY;
    /** When an OOM kill was counted whose victim is still dying (so cannot be named yet), or {@link #NEVER}. */
    private long oomPendingSinceNanos = NEVER;
    /** The sample before the kernel's kill was first seen: the victim's RSS before it began to die. */
    private TreeSample beforeOom = TreeSample.EMPTY;
    /** How long an OOM report waits for its victim to leave the tree. */
    static final long OOM_VICTIM_WAIT_NANOS = 100_000_000L;

    private MemoryLimit limit;
    private ProgramState state = ProgramState.STARTING;
    private Child child;
    private Sampler sampler;
    private TreeSample last = TreeSample.EMPTY;
    private final GrowthRate growth = new GrowthRate(10_000_000_000L, 64);
    private int run;
    private long startedNanos;
    private long launchNanos;
    private long startedEpochMillis;
    private long endedNanos;
    private long lastSampleNanos;
    private long nextSampleNanos = NEVER;
    private long killDeadlineNanos = NEVER;
    private long nextKillRepeatNanos = NEVER;
    /** When a sample first saw the tree over its limit in the current stretch, or {@link #NOT_OVER}. */
    private long overSinceNanos = NOT_OVER;
    private StopReason stopping;
    private StopReason lastStop;
    private boolean killSent;
    private boolean restartPending;
    /** Someone ordered a stop while the tree was already stopping for memory or leftovers. */
    private boolean stopOrdered;
    private int mainExit = -1;
    private int lastExitStatus = -1;
    private long peakRss;
    private long runCpuTicks;
    private long samples;
    private double growthNow;
    private int restarts;
    private final Map<RestartReason, Long> restartsByReason = new EnumMap<>(RestartReason.class);
    private long restartAtNanos = NEVER;
    private long restartAtEpochMillis;
    private RestartReason pendingRestart;
    private int finalExit = -1;
    /** Supervision last ended because someone asked (an order, a signal to Sentinel), not on its own. */
    private boolean endedByOrder;
    private final Map<StopReason, Map<Signal, Long>> kills = new EnumMap<>(StopReason.class);
    /** {@link #kills} as snapshots carry it; rebuilt only when a signal is counted, not at every tick. */
    private List<KillCount> killCounts = List.of();
    private RestartStatus restartStatus;
    private int restartStatusRestarts = -1;
    private final ArrayDeque<RunRecord> history = new ArrayDeque<>();
    /** {@link #history} as snapshots carry it; rebuilt only when a run starts or ends. */
    private List<RunRecord> historyView = List.of();

    public Program(ProgramSettings config, ProcessLauncher launcher, LaunchSpec spec, Sampler.Factory samplers,
                    Signaller signaller, SamplingPolicy policy, Clock clock, EventSink events, Runnable wakeup) {
        this(config, launcher, spec, samplers, signaller, policy, clock, events, wakeup, Math::random);
    }

    /** @param jitter uniform numbers in [0, 1) for the backoff's jitter (tests pass fixed ones) */
    public Program(ProgramSettings config, ProcessLauncher launcher, LaunchSpec spec, Sampler.Factory samplers,
                    Signaller signaller, SamplingPolicy policy, Clock clock, EventSink events, Runnable wakeup,
                    DoubleSupplier jitter) {
        this(config, launcher, spec, samplers, signaller, policy, clock, events, wakeup, jitter, null);
    }

    /** @param cgroup the program's cgroup (the launch spec enters it before exec), or null for /proc alone */
    public Program(ProgramSettings config, ProcessLauncher launcher, LaunchSpec spec, Sampler.Factory samplers,
                    Signaller signaller, SamplingPolicy policy, Clock clock, EventSink events, Runnable wakeup,
                    DoubleSupplier jitter, Confinement cgroup) {
        this.cgroup = cgroup;
        this.config = config;
        this.launcher = launcher;
        this.spec = spec;
        this.samplers = samplers;
        this.signaller = signaller;
        this.policy = policy;
        this.clock = clock;
        this.events = events;
        this.wakeup = wakeup;
        this.limit = config.limit();
        this.backoff = new Backoff(config.restart(), jitter);
    }

    /**
     * Starts the first run. If the program cannot be started at all the guardian is EXITED with the
     * launch's 126/127 and the exception says why: a command that cannot run is bad input, not a
     * crash to retry.
     */
    public void start() throws LaunchException {
        Child c;
        try {
            c = launch();
        } catch (LaunchException e) {
            state = ProgramState.EXITED;
            finalExit = e.exitCode();
            throw e;
        }
        beginRun(c, null);
    }

    /**
     * Starts the first run; if the command cannot be run at all (not found: 127, not executable:
     * 126) the program is FATAL at once with that status, as a shell would report it, instead of
     * entering a crash loop: no restart can fix a missing program. Returns false in that case.
     * Used in config mode, where one program's bad command must not stop the others.
     */
    public boolean startOrGiveUp() {
        Child c;
        try {
            c = launch();
        } catch (LaunchException e) {
            cannotRun(e);
            return false;
        }
        beginRun(c, null);
        return true;
    }

    /**
     * Leaves the program stopped until someone orders {@code start} ({@code autostart = false}):
     * EXITED without a run, which counts as a clean end.
     */
    public void holdUntilStarted() {
        if (run != 0) {
            throw new IllegalStateException("holdUntilStarted is for a program that never ran");
        }
        state = ProgramState.EXITED;
        finalExit = 0;
    }

    private void cannotRun(LaunchException e) {
        recordFailedStart(e, "could not start the program: ");
        finalExit = mainExit;
        resetRestartDeadline();
        state = ProgramState.FATAL;
        emit(EventKind.GAVE_UP, "gave up at once: the command cannot be run (" + describeExit(mainExit)
                + "); 'start " + config.name() + "' tries again", Event.fields("restarts", 0, "exit_status", mainExit,
                "stable_after_seconds", seconds(config.restart().stableAfter())));
    }

    /** Acts on everything that is due: exit of the main process, a sample, the grace or restart deadline. */
    public void tick() {
        if (state.isFinal()) {
            return;
        }
        long now = clock.nanos();
        if (state == ProgramState.BACKOFF) {
            if (now >= restartAtNanos) {
                startAgain(pendingRestart);
            }
            return;
        }
        boolean justExited = false;
        if (mainExit < 0) {
            OptionalInt status = child.exitStatus();
            if (status.isPresent()) {
                mainExit = status.getAsInt();
                justExited = true;
                // The exit may have come after this tick began: its run ends no earlier than now.
                now = clock.nanos();
            }
        }
        boolean kernelSpoke = cgroup != null && cgroup.kernelSpoke();
        int before = last.count();
        if (justExited || kernelSpoke || now >= nextSampleNanos) {
            sample(now);
        }
        if (cgroup != null && (kernelSpoke || justExited || last.count() < before
                || oomPendingSinceNanos != NEVER)) {
            // Processes left the tree, or the kernel said something: was it the kernel's OOM killer?
            checkKernelOom(now, true);
        }
        switch (state) {
            case STARTING, RUNNING -> {
                if (mainExit >= 0) {
                    if (treeGone()) {
                        finish(now);
                    } else {
                        beginStop(StopReason.LEFTOVERS, config.stopSignal(), now, "");
                    }
                } else {
                    checkLimit(now);
                }
            }
            case STOPPING -> {
                if (treeGone()) {
                    finish(now);
                } else if (now >= killDeadlineNanos) {
                    escalate(now, "grace period of " + Durations.format(config.grace()) + " is over, "
                            + processes(last.count()) + " left");
                }
            }
            case KILLING -> {
                if (treeGone()) {
                    finish(now);
                } else if (now >= nextKillRepeatNanos) {
                    signalTree(Signal.KILL);
                    nextKillRepeatNanos = now + KILL_REPEAT_NANOS;
                }
            }
            default -> {
                // BACKOFF, EXITED and FATAL were handled above.
            }
        }
    }

    /** When {@link #tick()} must run next at the latest (monotonic nanos). */
    public long nextWakeNanos() {
        return switch (state) {
            case EXITED, FATAL -> NEVER;
            case BACKOFF -> restartAtNanos;
            case STOPPING -> Math.min(nextSampleNanos, killDeadlineNanos);
            case KILLING -> Math.min(nextSampleNanos, nextKillRepeatNanos);
            default -> nextSampleNanos;
        };
    }

    /** Tiered stop: {@code first} to the tree, then SIGKILL after the grace period. In BACKOFF, cancels the restart. */
    public String stop(StopReason reason, Signal first) {
        if (state.isFinal()) {
            return "nothing to stop: " + config.name() + " " + finalWords();
        }
        if (state == ProgramState.BACKOFF) {
            return cancelPendingRestart(reason);
        }
        boolean cancelledRestart = cancelRestart(reason);
        if (state == ProgramState.STOPPING || state == ProgramState.KILLING) {
            noteOrder(reason);
            return (cancelledRestart ? "restart cancelled; " : "") + "already stopping " + config.name() + " ("
                    + stopping.description() + ")";
        }
        refresh();
        beginStop(reason, first, clock.nanos(), "");
        return "sent " + first.fullName() + " to " + config.name() + ", SIGKILL follows in "
                + Durations.format(config.grace()) + " if it is still running";
    }

    /** Tiered stop with the program's own stop signal first. */
    public String stop(StopReason reason) {
        return stop(reason, config.stopSignal());
    }

    public ProgramSettings settings() {
        return config;
    }

    /** SIGKILL to the whole tree at once. In BACKOFF, cancels the restart. */
    public String kill(StopReason reason) {
        if (state.isFinal()) {
            return "nothing to kill: " + config.name() + " " + finalWords();
        }
        if (state == ProgramState.BACKOFF) {
            return cancelPendingRestart(reason);
        }
        cancelRestart(reason);
        if (state != ProgramState.STOPPING && state != ProgramState.KILLING) {
            stopping = reason;
            lastStop = reason;
        } else {
            noteOrder(reason);
        }
        refresh();
        escalate(clock.nanos(), reason.description());
        return "sent SIGKILL to " + config.name() + " (" + processes(last.count()) + ")";
    }

    /**
     * Tiered stop, then start the same command again at once. In BACKOFF, EXITED or FATAL it starts
     * the program now. An ordered restart clears the restart count.
     */
    public String restart() {
        if (!state.hasTree()) {
            return startNow("restart");
        }
        restartPending = true;
        if (state == ProgramState.STOPPING || state == ProgramState.KILLING) {
            return "restarting " + config.name() + " once its tree is gone";
        }
        refresh();
        beginStop(StopReason.RESTART, config.stopSignal(), clock.nanos(), "");
        return "restarting " + config.name() + ": sent " + config.stopSignal().fullName() + ", SIGKILL follows in "
                + Durations.format(config.grace()) + " if needed";
    }

    /**
     * Starts a program that is in BACKOFF (without waiting for the delay), EXITED or FATAL, and
     * clears the restart count; returns null if it is running (or stopping) already.
     */
    public String startOrder(String order) {
        if (state.hasTree()) {
            return null;
        }
        return startNow(order);
    }

    /** Changes the limit; the new one applies from the next sample. */
    public void setLimit(MemoryLimit newLimit) {
        MemoryLimit old = limit;
        limit = newLimit;
        long oldKernel = kernelLimitBytes;
        String kernel = "";
        if (cgroup != null) {
            applyKernelLimits();
            if (kernelLimitBytes != oldKernel) {
                kernel = "; kernel limit " + (kernelLimitBytes > 0 ? ByteSize.format(kernelLimitBytes) : "none");
            }
        }
        emit(EventKind.LIMIT_CHANGED, "limit changed from " + old + " to " + newLimit + kernel,
                Event.fields("limit_bytes", bytesOrNull(newLimit), "previous_limit_bytes", bytesOrNull(old),
                        "kernel_limit_bytes", kernelLimitBytes > 0 ? kernelLimitBytes : null));
        nextSampleNanos = Math.min(nextSampleNanos, clock.nanos());
    }

    /** Sends {@code signal} to the program's process group; false if no tree of it runs. */
    public boolean forward(Signal signal) {
        if (!state.hasTree() || child == null) {
            return false;
        }
        return signaller.signalGroup(child.pgid(), signal);
    }

    /** True once nothing more will happen to the program (EXITED or FATAL) unless someone starts it. */
    public boolean isFinished() {
        return state.isFinal();
    }

    /**
     * The status Sentinel exits with once the program is finished: the last run's, as
     * {@link RunRecord#sentinelStatus()} reports it (143/137 after a memory stop), or 126/127 if
     * the program never ran.
     */
    public int exitCode() {
        return finalExit;
    }

    /**
     * True when the program is EXITED because someone asked (a stop or kill order, a signal to
     * Sentinel, a cancelled restart, a reload) rather than on its own; config mode counts such an
     * end as clean when it decides Sentinel's exit status.
     */
    public boolean endedByOrder() {
        return state == ProgramState.EXITED && endedByOrder;
    }

    public ProgramState state() {
        return state;
    }

    public MemoryLimit limit() {
        return limit;
    }

    public String name() {
        return config.name();
    }

    /** The main process of the current (or last) run, 0 before the first start. */
    public long pid() {
        return child == null ? 0 : child.pid();
    }

    /** The current (or last) run: 1, 2, ...; 0 before the first start. */
    public int run() {
        return run;
    }

    public ProgramSnapshot snapshot() {
        long now = clock.nanos();
        boolean running = child != null && state.hasTree();
        long uptime = child == null ? 0 : ((running ? now : endedNanos) - startedNanos) / 1_000_000;
        // Called at every tick: the stability check (and its Duration) only when there is a streak.
        int streak = backoff.streak();
        if (streak > 0 && running && backoff.isStable(Duration.ofMillis(uptime))) {
            streak = 0;
        }
        long nextRestart = state == ProgramState.BACKOFF ? restartAtEpochMillis : 0;
        RestartStatus restart = restartStatus;
        // Snapshots are made at every tick; this part changes only when a run starts or ends.
        if (restart == null || restart.run() != run || restart.consecutiveFailures() != streak
                || restart.lastExitStatus() != lastExitStatus || restart.nextRestartEpochMillis() != nextRestart
                || restartStatusRestarts != restarts) {
            restart = new RestartStatus(run, streak, lastExitStatus, nextRestart, restartsByReason);
            restartStatus = restart;
            restartStatusRestarts = restarts;
        }
        return new ProgramSnapshot(config, state, limit,
                new ProgramSnapshot.Run(child == null ? 0 : child.pid(), running ? last.rssBytes() : 0, peakRss,
                        running ? last.processes() : List.of(), runCpuTicks / 100.0, startedEpochMillis, uptime,
                        mainExit, running ? growthNow : 0),
                new ProgramSnapshot.Ledger(restarts, lastStop, killCounts, restart, historyView, samples,
                        last.costNanos()),
                new ProgramSnapshot.Kernel(kernelLimitBytes, cgroup == null ? "proc" : cgroup.describe()));
    }

    // ---- runs

    /**
     * Launches the program, noting the time first: a run's duration then counts from before the
     * fork, never shorter than the program really lived (a busy machine can take milliseconds to
     * return from the launch).
     */
    private Child launch() throws LaunchException {
        if (cgroup != null && !kernelLimitsApplied) {
            applyKernelLimits();
        }
        launchNanos = clock.nanos();
        return launcher.launch(spec);
    }

    /** Sets the kernel's limits on the cgroup for the current limit; a refusal is a warning, guarding goes on. */
    private void applyKernelLimits() {
        kernelLimitsApplied = true;
        try {
            kernelLimitBytes = cgroup.applyLimits(limit, config.kernel(), !config.tolerate().isZero());
        } catch (IllegalStateException e) {
            kernelLimitBytes = -1;
            emit(EventKind.WARNING, "no kernel limit: " + e.getMessage(), Event.fields("error", e.getMessage()));
        }
    }

    private void beginRun(Child c, RestartReason reason) {
        run++;
        if (reason != null) {
            countRestart(reason);
        }
        child = c;
        resetRun();
        startedNanos = launchNanos;
        startedEpochMillis = clock.epochMillis();
        sampler = samplers.open(child.pid());
        state = ProgramState.STARTING;
        child.onExit(wakeup);
        oomKillsSeen = cgroup == null ? 0 : cgroup.oomKills();
        record(RunRecord.running(run, startedEpochMillis));
        String settings = "limit " + limit + ", grace " + Durations.format(config.grace())
                + (cgroup == null ? "; /proc only" : "; " + cgroup.describe() + (kernelLimitBytes > 0
                        ? ", kernel limit " + ByteSize.format(kernelLimitBytes) : ", no kernel limit"));
        String message = reason == null ? "started pid " + child.pid() + " (" + settings + ")"
                : "started pid " + child.pid() + " (run " + run + ", restart " + restarts + " after "
                        + restartCause(reason) + "; " + settings + ")";
        emit(EventKind.STARTED, message, Event.fields("pid", child.pid(), "limit_bytes", bytesOrNull(limit),
                "grace_seconds", seconds(config.grace()), "restart_reason", reason == null ? null : reason.label(),
                "command", config.command(), "containment", cgroup == null ? "proc" : cgroup.describe(),
                "kernel_limit_bytes", kernelLimitBytes > 0 ? kernelLimitBytes : null));
        sample(clock.nanos());
    }

    private void resetRun() {
        endedByOrder = false;
        mainExit = -1;
        peakRss = 0;
        runCpuTicks = 0;
        last = TreeSample.EMPTY;
        previous = TreeSample.EMPTY;
        oomPendingSinceNanos = NEVER;
        growth.reset();
        growthNow = 0;
        stopping = null;
        killSent = false;
        stopOrdered = false;
        overSinceNanos = NOT_OVER;
        killDeadlineNanos = NEVER;
        nextKillRepeatNanos = NEVER;
        restartAtNanos = NEVER;
        restartAtEpochMillis = 0;
        pendingRestart = null;
    }

    /** Starts the program again (a due restart, or an order); a failure to start is that run's end. */
    private void startAgain(RestartReason reason) {
        Child c;
        try {
            c = launch();
        } catch (LaunchException e) {
            startFailed(reason, e);
            return;
        }
        beginRun(c, reason);
    }

    private String startNow(String order) {
        String name = config.name();
        String was = state == ProgramState.BACKOFF ? " (its restart was due in "
                + Durations.format(Duration.ofNanos(Math.max(0, restartAtNanos - clock.nanos()))) + ")"
                : state == ProgramState.FATAL ? " (Sentinel had given up on it)" : "";
        backoff.reset();
        if (run == 0) {
            // autostart = false: the first run, not a restart.
            if (!startOrGiveUp()) {
                return "could not start " + name + " (" + order + "): " + describeExit(mainExit);
            }
            return "started " + name + " as pid " + child.pid();
        }
        startAgain(RestartReason.ORDER);
        if (!state.hasTree()) {
            return "could not start " + name + " (" + order + "): " + describeExit(mainExit);
        }
        return "started " + name + " again as pid " + child.pid() + was;
    }

    private void startFailed(RestartReason reason, LaunchException e) {
        countRestart(reason);
        if (reason == RestartReason.ORDER) {
            cannotRun(e);
            return;
        }
        recordFailedStart(e, "could not start the program again (run " + (run + 1) + "): ");
        afterRun(Duration.ZERO, RestartRule.after(config.restart().policy(), null, mainExit), mainExit);
    }

    /** A run that never started: its record (exit 126/127) and its start-failed event. */
    private void recordFailedStart(LaunchException e, String what) {
        run++;
        resetRun();
        startedNanos = clock.nanos();
        endedNanos = startedNanos;
        startedEpochMillis = clock.epochMillis();
        mainExit = e.exitCode();
        lastExitStatus = mainExit;
        record(new RunRecord(run, startedEpochMillis, 0, 0, mainExit, null, false, true));
        emit(EventKind.START_FAILED, what + e.getMessage(), Event.fields("exit_status", mainExit, "error", e.getMessage()));
    }

    /** The tree is gone: record how the run ended, then restart it, back off, give up, or end. */
    private void finish(long now) {
        if (cgroup != null) {
            // What the kernel did while nobody looked (Sentinel stopped or starved) still counts.
            checkKernelOom(now, false);
        }
        endedNanos = now;
        sampler.close();
        child.release();
        Duration ran = Duration.ofNanos(now - startedNanos);
        int status = RunRecord.sentinelStatus(stopping, killSent, mainExit);
        lastExitStatus = mainExit;
        record(new RunRecord(run, startedEpochMillis, ran.toMillis(), peakRss, mainExit, stopping, killSent, false));
        String why = stopping == null ? "" : " (stopped by sentinel: " + stopping.description() + ")";
        // A program that ends before its first full sample has no peak worth printing.
        String peak = peakRss > 0 ? ", peak RSS " + ByteSize.format(peakRss) : "";
        String reported = status != mainExit ? "; Sentinel reports " + Signal.describeExitStatus(status)
                + " for a memory stop"
                : "";
        emit(EventKind.EXITED, describeExit(mainExit) + why + " after " + Durations.format(ran) + peak + reported,
                Event.fields("pid", child.pid(), "exit_status", mainExit, "signal", Signal.nameForExitStatus(mainExit),
                        "reason", stopping == null ? null : stopping.label(), "duration_seconds", seconds(ran),
                        "peak_rss_bytes", peakRss, "sentinel_status", status));
        last = TreeSample.EMPTY;
        nextSampleNanos = NEVER;
        if (restartPending) {
            restartPending = false;
            backoff.reset();
            finalExit = status;
            startAgain(RestartReason.ORDER);
            return;
        }
        endedByOrder = stopOrdered || stopping != null && stopping.isOrder();
        afterRun(ran, stopOrdered ? Optional.empty() : RestartRule.after(config.restart().policy(), stopping, mainExit),
                status);
    }

    /**
     * Decides what follows a run that is over. A restart always goes through BACKOFF, even with no
     * delay (the next tick starts it), so a program that cannot be started never recurses here.
     */
    private void afterRun(Duration ran, Optional<RestartReason> restart, int status) {
        finalExit = status;
        if (restart.isEmpty()) {
            state = ProgramState.EXITED;
            return;
        }
        RestartSettings settings = config.restart();
        Backoff.Decision decision = backoff.afterRun(ran);
        if (decision instanceof Backoff.Decision.GiveUp g) {
            state = ProgramState.FATAL;
            emit(EventKind.GAVE_UP, "gave up after " + g.restarts() + " restart" + (g.restarts() == 1 ? "" : "s")
                    + " in a row that each lasted under " + Durations.format(settings.stableAfter())
                    + " (the last run " + describeExit(mainExit) + ")",
                    Event.fields("restarts", g.restarts(), "exit_status", status,
                            "stable_after_seconds", seconds(settings.stableAfter())));
            return;
        }
        Backoff.Decision.Restart r = (Backoff.Decision.Restart) decision;
        state = ProgramState.BACKOFF;
        pendingRestart = restart.get();
        restartAtNanos = clock.nanos() + r.delay().toNanos();
        restartAtEpochMillis = clock.epochMillis() + r.delay().toMillis();
        String when = r.delay().isZero() ? "restarting now" : "restarting in " + Durations.format(r.delay());
        String count = settings.maxRestarts() > 0 ? "restart " + r.streak() + " of at most " + settings.maxRestarts()
                : "restart " + r.streak() + " in a row, no limit";
        emit(EventKind.RESTART_SCHEDULED, when + " (" + count + "; the last run lasted " + Durations.format(ran)
                + ")", Event.fields("reason", pendingRestart.label(), "delay_seconds", seconds(r.delay()),
                "restart", r.streak(), "max_restarts", settings.maxRestarts(), "duration_seconds", seconds(ran)));
    }

    /** A stop order in BACKOFF: the restart is cancelled, and the order is what ended supervision. */
    private String cancelPendingRestart(StopReason reason) {
        Duration left = Duration.ofNanos(Math.max(0, restartAtNanos - clock.nanos()));
        state = ProgramState.EXITED;
        endedByOrder = true;
        lastStop = reason;
        resetRestartDeadline();
        return "cancelled the restart of " + config.name() + " that was due in " + Durations.format(left)
                + "; it stays stopped";
    }

    private void resetRestartDeadline() {
        restartAtNanos = NEVER;
        restartAtEpochMillis = 0;
        pendingRestart = null;
    }

    private void countRestart(RestartReason reason) {
        restarts++;
        restartsByReason.merge(reason, 1L, Long::sum);
    }

    private void record(RunRecord r) {
        if (!history.isEmpty() && history.peekLast().run() == r.run()) {
            history.removeLast();
        }
        if (history.size() == HISTORY_RUNS) {
            history.removeFirst();
        }
        history.addLast(r);
        historyView = List.copyOf(history);
    }

    private String finalWords() {
        return state == ProgramState.FATAL ? "has been given up on (FATAL); 'start' starts it again" : "has exited";
    }

    // ---- sampling and the limit

    private boolean treeGone() {
        if (mainExit < 0 || !last.isEmpty()) {
            return false;
        }
        // With a cgroup the kernel's count is the word: it sees processes no sample did.
        return cgroup != null ? !cgroup.populated() : !signaller.groupAlive(child.pgid());
    }

    /**
     * Reports an OOM kill the kernel made in the cgroup since the last look, and kills the rest of
     * the tree (a v1 OOM kill takes one process only): the run ends as a kernel-oom stop.
     */
    private void checkKernelOom(long now, boolean treeLeft) {
        long kills = cgroup.oomKills();
        if (kills <= oomKillsSeen) {
            return;
        }
        ProcessSample victim = victim();
        if (victim == null && treeLeft && (oomPendingSinceNanos == NEVER
                || now - oomPendingSinceNanos < OOM_VICTIM_WAIT_NANOS)) {
            // The kernel counts the kill before its victim has died (and says so at once): name
            // the victim once a sample sees it gone, a few milliseconds later.
            if (oomPendingSinceNanos == NEVER) {
                oomPendingSinceNanos = now;
                beforeOom = previous;
            }
            nextSampleNanos = Math.min(nextSampleNanos, now + 1_000_000L);
            return;
        }
        oomPendingSinceNanos = NEVER;
        beforeOom = TreeSample.EMPTY;
        long newKills = kills - oomKillsSeen;
        oomKillsSeen = kills;
        String who = victim == null ? "a process" : "pid " + victim.pid() + " (" + victim.name() + ", "
                + ByteSize.format(victim.rssBytes()) + ")";
        String at = kernelLimitBytes > 0 ? " at the kernel limit " + ByteSize.format(kernelLimitBytes) : "";
        String more = newKills > 1 ? " (" + newKills + " OOM kills)" : "";
        emit(EventKind.KERNEL_OOM, "the kernel killed " + who + at + more,
                Event.fields("pid", victim == null ? 0 : victim.pid(), "command", victim == null ? null : victim.command(),
                        "rss_bytes", victim == null ? null : victim.rssBytes(),
                        "kernel_limit_bytes", kernelLimitBytes > 0 ? kernelLimitBytes : null, "oom_kills", newKills));
        if (state == ProgramState.KILLING) {
            return;
        }
        if (stopping != null && stopping.isOrder()) {
            stopOrdered = true;
        }
        stopping = StopReason.KERNEL_OOM;
        lastStop = StopReason.KERNEL_OOM;
        if (treeLeft) {
            escalate(now, "the kernel killed " + who + "; killing the rest");
        } else {
            // The kernel's SIGKILL is the run's last signal.
            killSent = true;
            count(StopReason.KERNEL_OOM, Signal.KILL);
        }
    }

    /**
     * The biggest process that was in the tree a sample ago and is gone now, or null. A dying
     * process has released its memory already: its size is what it held before the kill was seen.
     */
    private ProcessSample victim() {
        ProcessSample best = null;
        for (ProcessSample p : previous.processes()) {
            if (find(last, p) != null) {
                continue;
            }
            ProcessSample before = find(beforeOom, p);
            if (before != null && before.rssBytes() > p.rssBytes()) {
                p = before;
            }
            if (best == null || p.rssBytes() > best.rssBytes()) {
                best = p;
            }
        }
        return best;
    }

    private static ProcessSample find(TreeSample in, ProcessSample p) {
        for (ProcessSample q : in.processes()) {
            if (q.pid() == p.pid() && q.startTicks() == p.startTicks()) {
                return q;
            }
        }
        return null;
    }

    /** Whether the program lives in a cgroup of its own. */
    public boolean hasCgroup() {
        return cgroup != null;
    }

    /**
     * Counts {@code pid} as part of this program's tree: an orphan of it that Sentinel's subreaper
     * adopted before any sample saw it. False if the program has no tree now.
     */
    public boolean adopt(long pid) {
        if (!state.hasTree() || sampler == null) {
            return false;
        }
        sampler.adopt(pid);
        nextSampleNanos = Math.min(nextSampleNanos, clock.nanos());
        return true;
    }

    private void sample(long now) {
        previous = last;
        last = sampler.sample();
        lastSampleNanos = now;
        samples++;
        peakRss = Math.max(peakRss, last.rssBytes());
        runCpuTicks = Math.max(runCpuTicks, last.cpuTicks());
        growth.add(now, last.rssBytes());
        growthNow = growth.bytesPerSecond(now);
        if (state == ProgramState.STARTING && !last.isEmpty()) {
            state = ProgramState.RUNNING;
        }
        long interval = config.interval().toNanos();
        long delay = switch (state) {
            case STOPPING, KILLING -> Math.min(STOPPING_SAMPLE_NANOS, interval);
            default -> {
                if (overSinceNanos != NOT_OVER && limit.isExceededBy(last.rssBytes())) {
                    // Tolerating: the sampling policy would sample every millisecond over the limit;
                    // a dip is seen at the normal pace, and the tolerance's end exactly.
                    long left = overSinceNanos + config.tolerate().toNanos() - now;
                    yield Math.min(interval, left);
                }
                yield Math.min(policy.nextDelayNanos(last.rssBytes(), limit, growthNow), interval);
            }
        };
        nextSampleNanos = delay >= interval ? onIntervalGrid(now, interval) : now + Math.max(delay, 100_000L);
    }

    /**
     * The next multiple of {@code interval} on the clock, never later than a full interval from
     * now: idle programs with the same interval are then sampled in the same wake-up of the loop
     * (fifty programs cost four wake-ups a second, not two hundred), while a program near its
     * limit keeps its own faster pace.
     */
    static long onIntervalGrid(long now, long interval) {
        return Math.floorDiv(now + interval, interval) * interval;
    }

    private void checkLimit(long now) {
        if (!limit.isExceededBy(last.rssBytes())) {
            if (overSinceNanos != NOT_OVER) {
                Duration over = Duration.ofNanos(lastSampleNanos - overSinceNanos);
                overSinceNanos = NOT_OVER;
                emit(EventKind.LIMIT_CLEARED, "back under the limit after " + Durations.format(over) + ": tree RSS "
                        + ByteSize.format(last.rssBytes()) + " <= limit " + limit,
                        Event.fields("rss_bytes", last.rssBytes(), "limit_bytes", bytesOrNull(limit),
                                "duration_seconds", seconds(over)));
            }
            return;
        }
        Duration tolerate = config.tolerate();
        boolean crossedNow = overSinceNanos == NOT_OVER;
        long crossedAt = clock.epochMillis();
        if (crossedNow) {
            overSinceNanos = lastSampleNanos;
        }
        Duration over = Duration.ofNanos(lastSampleNanos - overSinceNanos);
        if (over.compareTo(tolerate) < 0) {
            if (crossedNow) {
                emitCrossed(tolerate, crossedAt);
            }
            return;
        }
        // The signal goes first: nothing may stand between a crossing and its SIGTERM, and the
        // crossing's event (the biggest processes, its fields) is work the first time it runs.
        // (No lambda here either: its first bootstrap alone would cost milliseconds before the signal.)
        String detail = tolerate.isZero() ? "" : " for " + Durations.format(over);
        beginStop(StopReason.MEMORY, config.stopSignal(), now, detail, crossedNow ? crossedAt : -1);
    }

    private void emitCrossed(Duration tolerate, long epochMillis) {
        List<ProcessSample> top = biggest(last.processes(), TOP_PROCESSES);
        StringBuilder m = new StringBuilder("limit crossed: tree RSS ").append(ByteSize.format(last.rssBytes()))
                .append(" > limit ").append(limit).append(" (").append(processes(last.count())).append(')');
        if (last.count() > 1 && !top.isEmpty()) {
            ProcessSample big = top.get(0);
            m.append("; the biggest is pid ").append(big.pid()).append(" (").append(big.name()).append(") at ")
                    .append(ByteSize.format(big.rssBytes()));
        }
        if (!tolerate.isZero()) {
            m.append("; over the limit; tolerated for up to ").append(Durations.format(tolerate));
        }
        List<Map<String, Object>> topFields = new ArrayList<>();
        for (ProcessSample p : top) {
            topFields.add(Event.fields("pid", p.pid(), "rss_bytes", p.rssBytes(), "command", p.command()));
        }
        emitAt(epochMillis, EventKind.LIMIT_CROSSED, m.toString(), Event.fields("pid", child.pid(),
                "rss_bytes", last.rssBytes(),
                "limit_bytes", bytesOrNull(limit), "processes", last.count(),
                "tolerate_seconds", seconds(tolerate), "top", topFields));
    }

    /** The {@code n} processes with the most RSS, biggest first. */
    static List<ProcessSample> biggest(List<ProcessSample> processes, int n) {
        List<ProcessSample> top = new ArrayList<>(Math.min(n + 1, processes.size()));
        for (ProcessSample p : processes) {
            int at = top.size();
            while (at > 0 && top.get(at - 1).rssBytes() < p.rssBytes()) {
                at--;
            }
            if (at < n) {
                top.add(at, p);
                if (top.size() > n) {
                    top.remove(n);
                }
            }
        }
        return top;
    }

    // ---- stopping

    /**
     * An order to stop that arrives while the tree is already being stopped for another reason (a
     * memory stop, leftovers): the stop goes on as it is, but the policy must not restart the
     * program afterwards, since someone asked for it to stop.
     */
    private void noteOrder(StopReason reason) {
        if (reason.isOrder() && reason != StopReason.RESTART) {
            stopOrdered = true;
        }
    }

    /** A stop or kill order after a restart order means the user wants it to stay stopped. */
    private boolean cancelRestart(StopReason reason) {
        boolean pending = restartPending && reason != StopReason.RESTART;
        if (pending) {
            restartPending = false;
        }
        return pending;
    }

    /** Orders arrive between samples: look at the tree as it is now, so new forks are signalled too. */
    private void refresh() {
        sample(clock.nanos());
    }

    private void beginStop(StopReason reason, Signal first, long now, String detail) {
        beginStop(reason, first, now, detail, -1);
    }

    /**
     * @param crossedAt when the tree crossed its limit in this very tick (its event is emitted once
     *                  the signal is sent, before the signal's own), or -1
     */
    private void beginStop(StopReason reason, Signal first, long now, String detail, long crossedAt) {
        stopping = reason;
        lastStop = reason;
        state = ProgramState.STOPPING;
        signalTree(first);
        // The grace counts from the signal, not from the start of the tick that decided it: the
        // sample in between can take milliseconds on a large tree or a busy machine. The event is
        // stamped at the same moment, so its time and the deadline agree.
        long sentAt = clock.epochMillis();
        killDeadlineNanos = Math.max(now, clock.nanos()) + config.grace().toNanos();
        count(reason, first);
        if (crossedAt >= 0) {
            emitCrossed(config.tolerate(), crossedAt);
        }
        emitAt(sentAt, EventKind.SIGNAL_SENT, "sent " + first.fullName() + " to the tree (" + reason.description()
                + detail + "); SIGKILL in " + Durations.format(config.grace()) + " if still running",
                signalFields(first, reason));
        nextSampleNanos = Math.min(nextSampleNanos, now + STOPPING_SAMPLE_NANOS);
    }

    private void escalate(long now, String why) {
        state = ProgramState.KILLING;
        killSent = true;
        signalTree(Signal.KILL);
        long sentAt = clock.epochMillis();
        count(stopping, Signal.KILL);
        emitAt(sentAt, EventKind.SIGNAL_SENT, "sent SIGKILL to the tree (" + why + ")",
                signalFields(Signal.KILL, stopping));
        killDeadlineNanos = NEVER;
        nextKillRepeatNanos = now + KILL_REPEAT_NANOS;
        nextSampleNanos = Math.min(nextSampleNanos, now + STOPPING_SAMPLE_NANOS);
    }

    private Map<String, Object> signalFields(Signal signal, StopReason reason) {
        return Event.fields("pid", child.pid(), "signal", signal.fullName(), "reason", reason.label(),
                "processes", last.count());
    }

    private void signalTree(Signal signal) {
        if (cgroup != null && signal == Signal.KILL) {
            // Atomic where the kernel has cgroup.kill: no process forked meanwhile escapes it.
            cgroup.killAll();
        }
        signaller.signalGroup(child.pgid(), signal);
        for (ProcessSample p : last.processes()) {
            if (p.pgid() != child.pgid()) {
                signaller.signal(p.pid(), signal);
            }
        }
        if (cgroup != null && signal != Signal.KILL) {
            // Members the last sample did not have (forked since): each gets the signal too.
            for (long pid : cgroup.members()) {
                if (!inLastSample(pid)) {
                    signaller.signal(pid, signal);
                }
            }
        }
    }

    private boolean inLastSample(long pid) {
        for (ProcessSample p : last.processes()) {
            if (p.pid() == pid) {
                return true;
            }
        }
        return false;
    }

    private void count(StopReason reason, Signal signal) {
        kills.computeIfAbsent(reason, r -> new EnumMap<>(Signal.class)).merge(signal, 1L, Long::sum);
        List<KillCount> counts = new ArrayList<>();
        kills.forEach((r, bySignal) -> bySignal.forEach((sig, n) -> counts.add(new KillCount(r, sig, n))));
        killCounts = List.copyOf(counts);
    }

    // ---- words

    static String describeExit(int status) {
        return "exited with status " + Signal.describeExitStatus(status);
    }

    private static String restartCause(RestartReason reason) {
        return switch (reason) {
            case MEMORY -> "a memory stop";
            case FAILURE -> "a failure";
            case EXIT -> "an exit";
            case ORDER -> "an order";
        };
    }

    private static String processes(int n) {
        return n + " process" + (n == 1 ? "" : "es");
    }

    private static Long bytesOrNull(MemoryLimit l) {
        return l.isSet() ? l.bytes() : null;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private void emit(EventKind kind, String message, Map<String, Object> fields) {
        emitAt(clock.epochMillis(), kind, message, fields);
    }

    private void emitAt(long epochMillis, EventKind kind, String message, Map<String, Object> fields) {
        events.emit(new Event(epochMillis, config.name(), run, kind, message, fields));
    }
}
