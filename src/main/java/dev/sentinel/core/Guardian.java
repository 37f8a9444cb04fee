package dev.sentinel.core;

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
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The state machine of one guarded program: STARTING, RUNNING, STOPPING (first signal sent,
 * grace running), KILLING (SIGKILL sent), EXITED. Owned by the supervisor loop thread; every
 * method must be called from it. Nothing here blocks or sleeps: the grace period is a deadline
 * that {@link #nextWakeNanos()} reports and {@link #tick()} acts on.
 */
public final class Guardian {

    /** While stopping, sample this often to notice the tree is gone. */
    static final long STOPPING_SAMPLE_NANOS = 10_000_000L;
    /** While killing, re-send SIGKILL this often to catch processes forked meanwhile. */
    static final long KILL_REPEAT_NANOS = 100_000_000L;
    private static final long NEVER = Long.MAX_VALUE;

    private final GuardianConfig config;
    private final ProcessLauncher launcher;
    private final LaunchSpec spec;
    private final Sampler.Factory samplers;
    private final Signaller signaller;
    private final SamplingPolicy policy;
    private final Clock clock;
    private final EventSink events;
    private final Runnable wakeup;

    private MemoryLimit limit;
    private GuardianState state = GuardianState.STARTING;
    private Child child;
    private Sampler sampler;
    private TreeSample last = TreeSample.EMPTY;
    private final GrowthRate growth = new GrowthRate(10_000_000_000L, 64);
    private long startedNanos;
    private long startedEpochMillis;
    private long nextSampleNanos = NEVER;
    private long killDeadlineNanos = NEVER;
    private long nextKillRepeatNanos = NEVER;
    private StopReason stopping;
    private StopReason lastStop;
    private boolean restartPending;
    private int mainExit = -1;
    private long peakRss;
    private long runCpuTicks;
    private long samples;
    private double growthNow;
    private int restarts;
    private int finalExit = -1;
    private final Map<StopReason, Map<Signal, Long>> kills = new EnumMap<>(StopReason.class);
    /** {@link #kills} as snapshots carry it; rebuilt only when a signal is counted, not at every tick. */
    private List<KillCount> killCounts = List.of();

    public Guardian(GuardianConfig config, ProcessLauncher launcher, LaunchSpec spec, Sampler.Factory samplers,
                    Signaller signaller, SamplingPolicy policy, Clock clock, EventSink events, Runnable wakeup) {
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
    }

    /** Starts the program. On failure the guardian is EXITED with the launch's 126/127. */
    public void start() throws LaunchException {
        try {
            child = launcher.launch(spec);
        } catch (LaunchException e) {
            state = GuardianState.EXITED;
            finalExit = e.exitCode();
            throw e;
        }
        long now = clock.nanos();
        startedNanos = now;
        startedEpochMillis = clock.epochMillis();
        sampler = samplers.open(child.pid());
        mainExit = -1;
        peakRss = 0;
        runCpuTicks = 0;
        last = TreeSample.EMPTY;
        growth.reset();
        growthNow = 0;
        stopping = null;
        killDeadlineNanos = NEVER;
        nextKillRepeatNanos = NEVER;
        state = GuardianState.STARTING;
        child.onExit(wakeup);
        emit(EventKind.STARTED, "started pid " + child.pid() + " (limit " + limit + ", grace "
                + Durations.format(config.grace()) + ")");
        sample(now);
    }

    /** Acts on everything that is due: exit of the main process, a sample, the grace deadline. */
    public void tick() {
        if (state == GuardianState.EXITED) {
            return;
        }
        long now = clock.nanos();
        boolean justExited = false;
        if (mainExit < 0) {
            OptionalInt status = child.exitStatus();
            if (status.isPresent()) {
                mainExit = status.getAsInt();
                justExited = true;
            }
        }
        if (justExited || now >= nextSampleNanos) {
            sample(now);
        }
        switch (state) {
            case STARTING, RUNNING -> {
                if (mainExit >= 0) {
                    if (treeGone()) {
                        finish(now);
                    } else {
                        beginStop(StopReason.LEFTOVERS, Signal.TERM, now);
                    }
                } else if (limit.isExceededBy(last.rssBytes())) {
                    emit(EventKind.LIMIT_CROSSED, "limit crossed: tree RSS " + ByteSize.format(last.rssBytes())
                            + " > limit " + limit + " (" + last.count() + " process" + (last.count() == 1 ? "" : "es")
                            + ")");
                    beginStop(StopReason.MEMORY, Signal.TERM, now);
                }
            }
            case STOPPING -> {
                if (treeGone()) {
                    finish(now);
                } else if (now >= killDeadlineNanos) {
                    escalate(now, "grace period of " + Durations.format(config.grace()) + " is over, "
                            + last.count() + " process" + (last.count() == 1 ? "" : "es") + " left");
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
            }
        }
    }

    /** When {@link #tick()} must run next at the latest (monotonic nanos). */
    public long nextWakeNanos() {
        if (state == GuardianState.EXITED) {
            return NEVER;
        }
        long wake = nextSampleNanos;
        if (state == GuardianState.STOPPING) {
            wake = Math.min(wake, killDeadlineNanos);
        } else if (state == GuardianState.KILLING) {
            wake = Math.min(wake, nextKillRepeatNanos);
        }
        return wake;
    }

    /** Tiered stop: {@code first} to the tree, then SIGKILL after the grace period. */
    public String stop(StopReason reason, Signal first) {
        if (state == GuardianState.EXITED) {
            return "nothing to stop: " + config.name() + " has exited";
        }
        boolean cancelledRestart = cancelRestart(reason);
        if (state == GuardianState.STOPPING || state == GuardianState.KILLING) {
            return (cancelledRestart ? "restart cancelled; " : "") + "already stopping " + config.name() + " ("
                    + stopping.description() + ")";
        }
        refresh();
        beginStop(reason, first, clock.nanos());
        return "sent " + first.fullName() + " to " + config.name() + ", SIGKILL follows in "
                + Durations.format(config.grace()) + " if it is still running";
    }

    /** SIGKILL to the whole tree at once. */
    public String kill(StopReason reason) {
        if (state == GuardianState.EXITED) {
            return "nothing to kill: " + config.name() + " has exited";
        }
        cancelRestart(reason);
        if (state != GuardianState.STOPPING && state != GuardianState.KILLING) {
            stopping = reason;
            lastStop = reason;
        }
        refresh();
        escalate(clock.nanos(), reason.description());
        return "sent SIGKILL to " + config.name() + " (" + last.count() + " process"
                + (last.count() == 1 ? "" : "es") + ")";
    }

    /** Tiered stop, then start the same command again. */
    public String restart() {
        if (state == GuardianState.EXITED) {
            return null;
        }
        restartPending = true;
        if (state == GuardianState.STOPPING || state == GuardianState.KILLING) {
            return "restarting " + config.name() + " once its tree is gone";
        }
        refresh();
        beginStop(StopReason.RESTART, Signal.TERM, clock.nanos());
        return "restarting " + config.name() + ": sent SIGTERM, SIGKILL follows in "
                + Durations.format(config.grace()) + " if needed";
    }

    /** Changes the limit; the new one applies from the next sample. */
    public void setLimit(MemoryLimit newLimit) {
        MemoryLimit old = limit;
        limit = newLimit;
        emit(EventKind.LIMIT_CHANGED, "limit changed from " + old + " to " + newLimit);
        nextSampleNanos = Math.min(nextSampleNanos, clock.nanos());
    }

    /** Sends {@code signal} to the program's process group; false if the tree is gone. */
    public boolean forward(Signal signal) {
        if (state == GuardianState.EXITED || child == null) {
            return false;
        }
        return signaller.signalGroup(child.pgid(), signal);
    }

    public boolean isFinished() {
        return state == GuardianState.EXITED;
    }

    /** The status Sentinel exits with: the main process's own, or 126/127 if it never ran. */
    public int exitCode() {
        return finalExit;
    }

    public GuardianState state() {
        return state;
    }

    public MemoryLimit limit() {
        return limit;
    }

    public String name() {
        return config.name();
    }

    public ProgramSnapshot snapshot() {
        long now = clock.nanos();
        boolean running = child != null && state != GuardianState.EXITED;
        return new ProgramSnapshot(config.name(), config.command(), state, child == null ? 0 : child.pid(),
                running ? last.rssBytes() : 0, peakRss, limit, config.grace(), running ? last.processes() : List.of(),
                runCpuTicks / 100.0, startedEpochMillis,
                child == null ? 0 : ((running ? now : endedNanos) - startedNanos) / 1_000_000,
                restarts, lastStop, mainExit, killCounts, running ? growthNow : 0,
                last.costNanos(), samples);
    }

    private long endedNanos;

    private boolean treeGone() {
        return mainExit >= 0 && last.isEmpty() && !signaller.groupAlive(child.pgid());
    }

    private void sample(long now) {
        last = sampler.sample();
        samples++;
        peakRss = Math.max(peakRss, last.rssBytes());
        runCpuTicks = Math.max(runCpuTicks, last.cpuTicks());
        growth.add(now, last.rssBytes());
        growthNow = growth.bytesPerSecond(now);
        if (state == GuardianState.STARTING && !last.isEmpty()) {
            state = GuardianState.RUNNING;
        }
        long delay = switch (state) {
            case STOPPING, KILLING -> Math.min(STOPPING_SAMPLE_NANOS, config.interval().toNanos());
            default -> Math.min(policy.nextDelayNanos(last.rssBytes(), limit, growthNow),
                    config.interval().toNanos());
        };
        nextSampleNanos = now + Math.max(delay, 100_000L);
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

    private void beginStop(StopReason reason, Signal first, long now) {
        stopping = reason;
        lastStop = reason;
        state = GuardianState.STOPPING;
        signalTree(first);
        // The grace counts from the signal, not from the start of the tick that decided it: the
        // sample in between can take milliseconds on a large tree or a busy machine.
        killDeadlineNanos = Math.max(now, clock.nanos()) + config.grace().toNanos();
        count(reason, first);
        emit(EventKind.SIGNAL_SENT, "sent " + first.fullName() + " to the tree (" + reason.description()
                + "); SIGKILL in " + Durations.format(config.grace()) + " if still running");
        nextSampleNanos = Math.min(nextSampleNanos, now + STOPPING_SAMPLE_NANOS);
    }

    private void escalate(long now, String why) {
        state = GuardianState.KILLING;
        signalTree(Signal.KILL);
        count(stopping, Signal.KILL);
        emit(EventKind.SIGNAL_SENT, "sent SIGKILL to the tree (" + why + ")");
        killDeadlineNanos = NEVER;
        nextKillRepeatNanos = now + KILL_REPEAT_NANOS;
        nextSampleNanos = Math.min(nextSampleNanos, now + STOPPING_SAMPLE_NANOS);
    }

    private void signalTree(Signal signal) {
        signaller.signalGroup(child.pgid(), signal);
        for (ProcessSample p : last.processes()) {
            if (p.pgid() != child.pgid()) {
                signaller.signal(p.pid(), signal);
            }
        }
    }

    private void count(StopReason reason, Signal signal) {
        kills.computeIfAbsent(reason, r -> new EnumMap<>(Signal.class)).merge(signal, 1L, Long::sum);
        List<KillCount> counts = new ArrayList<>();
        kills.forEach((r, bySignal) -> bySignal.forEach((sig, n) -> counts.add(new KillCount(r, sig, n))));
        killCounts = List.copyOf(counts);
    }

    private void finish(long now) {
        endedNanos = now;
        sampler.close();
        child.release();
        String runtime = Durations.format(Duration.ofNanos(now - startedNanos));
        String how = describeExit(mainExit);
        String why = stopping == null ? "" : " (stopped by sentinel: " + stopping.description() + ")";
        // A program that ends before its first full sample has no peak worth printing.
        String peak = peakRss > 0 ? ", peak RSS " + ByteSize.format(peakRss) : "";
        emit(EventKind.EXITED, how + why + " after " + runtime + peak);
        if (restartPending) {
            restartPending = false;
            restarts++;
            try {
                start();
                emit(EventKind.RESTARTED, "restarted (restart #" + restarts + ")");
            } catch (LaunchException e) {
                emit(EventKind.WARNING, "restart failed: " + e.getMessage());
            }
            return;
        }
        state = GuardianState.EXITED;
        finalExit = mainExit;
        nextSampleNanos = NEVER;
        last = TreeSample.EMPTY;
    }

    static String describeExit(int status) {
        if (status > 128 && status <= 128 + 64) {
            String name = Signal.ofNumber(status - 128).map(Signal::fullName).orElse("signal " + (status - 128));
            return "exited with status " + status + " (" + name + ")";
        }
        return "exited with status " + status;
    }

    private void emit(EventKind kind, String message) {
        events.emit(new Event(clock.epochMillis(), config.name(), kind, message));
    }
}
