package dev.sentinel.core.program;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventSink;
import dev.sentinel.platform.Child;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.ProcessLauncher;
import dev.sentinel.platform.ProcessSample;
import dev.sentinel.platform.Sampler;
import dev.sentinel.platform.Signal;
import dev.sentinel.platform.Signaller;
import dev.sentinel.platform.TreeSample;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.DoubleSupplier;

/**
 * The state machine of one guarded program: it starts the program, samples its tree, stops it in
 * tiers when it crosses its limit (after the tolerance, if any), and when the tree is gone asks the
 * {@link RestartRule} and the {@link Backoff} whether and when to start it again. One method per
 * event, one switch on the state in each; an event that means nothing in a state is ignored there
 * on purpose. Every transition, as ProgramTransitionsTest drives each one and writes this table and
 * docs/states.md's from its own:
 *
 * <!-- BEGIN GENERATED: transitions -->
 * <table>
 * <caption>transitions</caption>
 * <tr><th>state</th><th>event</th><th>when</th><th>next</th><th>answer</th></tr>
 * <tr><td>STARTING</td><td>tick</td><td>a sample sees the tree</td><td>RUNNING</td><td></td></tr>
 * <tr><td>STARTING</td><td>tick</td><td>no sample has seen the tree yet</td><td>the same</td><td></td></tr>
 * <tr><td>STARTING, RUNNING</td><td>exit</td><td>processes of the tree are left</td><td>STOPPING</td><td></td></tr>
 * <tr><td>STARTING, RUNNING</td><td>tree gone</td><td>the policy does not restart it</td><td>EXITED</td><td></td></tr>
 * <tr><td>STARTING, RUNNING</td><td>tree gone</td><td>the policy restarts it</td><td>BACKOFF</td><td></td></tr>
 * <tr><td>STARTING, RUNNING</td><td>tree gone</td><td>its restarts are used up</td><td>FATAL</td><td></td></tr>
 * <tr><td>STARTING, RUNNING, STOPPING</td><td>kernel OOM kill</td><td>processes of the tree are left</td><td>KILLING</td><td></td></tr>
 * <tr><td>STARTING, RUNNING</td><td>health verdict</td><td>its alive check failed threshold times (or the watchdog, the ready timeout ran out)</td><td>STOPPING</td><td></td></tr>
 * <tr><td>STARTING, RUNNING, STOPPING, KILLING, BACKOFF, EXITED, FATAL</td><td>release</td><td></td><td>the same</td><td></td></tr>
 * <tr><td>STARTING, RUNNING</td><td>stop</td><td></td><td>STOPPING</td><td>done</td></tr>
 * <tr><td>STARTING, RUNNING, STOPPING</td><td>kill</td><td></td><td>KILLING</td><td>done</td></tr>
 * <tr><td>STARTING, RUNNING</td><td>restart</td><td></td><td>STOPPING</td><td>done</td></tr>
 * <tr><td>STARTING, RUNNING, STOPPING, KILLING</td><td>start</td><td></td><td>the same</td><td>nothing to do</td></tr>
 * <tr><td>RUNNING</td><td>tick</td><td>under the limit</td><td>the same</td><td></td></tr>
 * <tr><td>RUNNING</td><td>tick</td><td>over the limit for the tolerance (at once without one)</td><td>STOPPING</td><td></td></tr>
 * <tr><td>STOPPING</td><td>tick</td><td>within the grace</td><td>the same</td><td></td></tr>
 * <tr><td>STOPPING</td><td>tick</td><td>the grace is over</td><td>KILLING</td><td></td></tr>
 * <tr><td>STOPPING, KILLING</td><td>exit</td><td>processes of the tree are left</td><td>the same</td><td></td></tr>
 * <tr><td>STOPPING</td><td>tree gone</td><td>a stop was ordered</td><td>EXITED</td><td></td></tr>
 * <tr><td>STOPPING, KILLING</td><td>tree gone</td><td>a restart was ordered</td><td>STARTING</td><td></td></tr>
 * <tr><td>STOPPING</td><td>tree gone</td><td>a memory stop, and the policy restarts it</td><td>BACKOFF</td><td></td></tr>
 * <tr><td>STOPPING</td><td>tree gone</td><td>a program it requires went down</td><td>WAITING</td><td></td></tr>
 * <tr><td>STOPPING, KILLING, BACKOFF, EXITED, FATAL, WAITING</td><td>health verdict</td><td></td><td>the same</td><td></td></tr>
 * <tr><td>STOPPING, KILLING</td><td>stop</td><td></td><td>the same</td><td>done</td></tr>
 * <tr><td>STOPPING, KILLING</td><td>restart</td><td></td><td>the same</td><td>done</td></tr>
 * <tr><td>KILLING, EXITED, FATAL, WAITING</td><td>tick</td><td></td><td>the same</td><td></td></tr>
 * <tr><td>KILLING</td><td>tree gone</td><td>a kill was ordered</td><td>EXITED</td><td></td></tr>
 * <tr><td>KILLING</td><td>kernel OOM kill</td><td>processes of the tree are left</td><td>the same</td><td></td></tr>
 * <tr><td>KILLING</td><td>kill</td><td></td><td>the same</td><td>done</td></tr>
 * <tr><td>BACKOFF</td><td>tick</td><td>before the delay is over</td><td>the same</td><td></td></tr>
 * <tr><td>BACKOFF</td><td>tick</td><td>the delay is over</td><td>STARTING</td><td></td></tr>
 * <tr><td>BACKOFF</td><td>tick</td><td>the delay is over, the command cannot be run</td><td>the same</td><td></td></tr>
 * <tr><td>BACKOFF, EXITED, FATAL, WAITING</td><td>exit</td><td></td><td>the same</td><td></td></tr>
 * <tr><td>BACKOFF, EXITED, FATAL, WAITING</td><td>tree gone</td><td></td><td>the same</td><td></td></tr>
 * <tr><td>BACKOFF, EXITED, FATAL, WAITING</td><td>kernel OOM kill</td><td></td><td>the same</td><td></td></tr>
 * <tr><td>BACKOFF, WAITING</td><td>stop</td><td></td><td>EXITED</td><td>done</td></tr>
 * <tr><td>BACKOFF, WAITING</td><td>kill</td><td></td><td>EXITED</td><td>done</td></tr>
 * <tr><td>BACKOFF, EXITED, FATAL, WAITING</td><td>restart</td><td></td><td>STARTING</td><td>done</td></tr>
 * <tr><td>BACKOFF, EXITED</td><td>restart</td><td>the command cannot be run</td><td>FATAL</td><td>refused</td></tr>
 * <tr><td>BACKOFF, EXITED, FATAL, WAITING</td><td>start</td><td></td><td>STARTING</td><td>done</td></tr>
 * <tr><td>BACKOFF, EXITED</td><td>start</td><td>the command cannot be run</td><td>FATAL</td><td>refused</td></tr>
 * <tr><td>EXITED, FATAL</td><td>stop</td><td></td><td>the same</td><td>nothing to do</td></tr>
 * <tr><td>EXITED, FATAL</td><td>kill</td><td></td><td>the same</td><td>nothing to do</td></tr>
 * <tr><td>FATAL</td><td>restart</td><td>the command cannot be run</td><td>the same</td><td>refused</td></tr>
 * <tr><td>FATAL</td><td>start</td><td>the command cannot be run</td><td>the same</td><td>refused</td></tr>
 * <tr><td>WAITING</td><td>release</td><td>the programs it starts after are ready</td><td>STARTING</td><td></td></tr>
 * </table>
 * <!-- END GENERATED: transitions -->
 *
 * The parts it asks: {@link LimitWatch} (limit and tolerance), {@link KernelOomWatch}, {@link TieredStop}
 * (signals and their counts), {@link RunLedger} (history, restarts, statuses), {@link SamplePace}, the
 * {@link Backstop} of its cgroup, and {@link Wording} for every sentence. Owned by the supervisor loop
 * thread; every method must be called from it. Nothing here blocks or sleeps: the grace period, the
 * tolerance and the backoff delay are deadlines that {@link #nextWakeNanos()} reports and
 * {@link #onTick()} acts on.
 *
 * <p>It is longer than the project's other classes on purpose: every event's method switches over
 * every state, and the transitions can be read (and checked) in one place only while they stay in
 * one place; all that is not a transition lives in the parts above.
 */
public final class Program {

    /** While stopping, sample this often to notice the tree is gone. */
    static final long STOPPING_SAMPLE_NANOS = 10_000_000L;
    /** How many runs {@code history} keeps. */
    static final int HISTORY_RUNS = RunLedger.HISTORY_RUNS;
    private static final long NEVER = Long.MAX_VALUE;
    private static final Phase STARTING = new Phase.Starting();
    private static final Phase RUNNING = new Phase.Running();

    private ProgramSettings settings;
    private final Clock clock;
    private final EventSink events;
    private Wording words;
    private final Launches launches;
    private final SamplePace pace;
    private final LimitWatch limit;
    private final Backstop backstop;
    private final KernelOomWatch oom = new KernelOomWatch();
    private final TieredStop stopper;
    private final RunLedger ledger = new RunLedger();
    private final Backoff backoff;
    private final Runnable wakeup;
    private Health health;
    private Phase phase = STARTING;
    private Run run = Run.NONE;

    public Program(ProgramSettings settings, ProcessLauncher launcher, LaunchSpec spec, Sampler.Factory samplers,
                   Signaller signaller, SamplingPolicy policy, Clock clock, EventSink events, Runnable wakeup) {
        this(settings, launcher, spec, samplers, signaller, policy, clock, events, wakeup, Math::random);
    }

    /** @param jitter uniform numbers in [0, 1) for the backoff's jitter (tests pass fixed ones) */
    public Program(ProgramSettings settings, ProcessLauncher launcher, LaunchSpec spec, Sampler.Factory samplers,
                   Signaller signaller, SamplingPolicy policy, Clock clock, EventSink events, Runnable wakeup,
                   DoubleSupplier jitter) {
        this(settings, launcher, spec, samplers, signaller, policy, clock, events, wakeup, jitter, null);
    }

    /** @param cgroup the program's cgroup (the launch spec enters it before exec), or null for /proc alone */
    public Program(ProgramSettings settings, ProcessLauncher launcher, LaunchSpec spec, Sampler.Factory samplers,
                   Signaller signaller, SamplingPolicy policy, Clock clock, EventSink events, Runnable wakeup,
                   DoubleSupplier jitter, Confinement cgroup) {
        this(settings, launcher, spec, samplers, signaller, policy, clock, events, wakeup, jitter, cgroup,
                HealthLinks.NONE);
    }

    /** @param health who runs its checks and where its notify socket's datagrams wait */
    public Program(ProgramSettings settings, ProcessLauncher launcher, LaunchSpec spec, Sampler.Factory samplers,
                   Signaller signaller, SamplingPolicy policy, Clock clock, EventSink events, Runnable wakeup,
                   DoubleSupplier jitter, Confinement cgroup, HealthLinks health) {
        this.settings = settings;
        this.clock = clock;
        this.events = events;
        this.words = new Wording(settings);
        this.pace = new SamplePace(policy, settings.interval().toNanos());
        this.limit = new LimitWatch(settings.limit(), settings.tolerate());
        this.backstop = new Backstop(cgroup, settings.kernel());
        this.stopper = new TieredStop(signaller, backstop);
        this.backoff = new Backoff(settings.restart(), jitter);
        this.launches = new Launches(launcher, spec, samplers, clock, events, wakeup, words, ledger, backstop,
                !settings.tolerate().isZero());
        this.wakeup = wakeup;
        this.health = new Health(settings, health, clock, events, words, wakeup);
    }

    /**
     * Takes settings that differ only in the program's check and start order (a reload; see
     * {@link ProgramSettings#retunableTo}): the tree runs on, its check starts over with the new
     * one as at a start, and readiness is judged anew.
     */
    public void retune(ProgramSettings fresh, HealthLinks links) {
        if (!settings.retunableTo(fresh)) {
            throw new IllegalArgumentException("these settings need a restart of " + name());
        }
        HealthLinks kept = links.inbox() == null && health.links().inbox() != null
                ? new HealthLinks(links.prober(), health.links().inbox(), health.links().notifyAddress()) : links;
        boolean wasReady = isReady();
        settings = fresh;
        words = new Wording(fresh);
        health = new Health(fresh, kept, clock, events, words, wakeup);
        if (phase.state() == ProgramState.STARTING || phase.state() == ProgramState.RUNNING) {
            health.startRun(run.number, clock.nanos(), clock.epochMillis());
            if (wasReady) {
                health.carryReadiness(clock.epochMillis());
            }
        }
    }

    // ---- the first start

    /**
     * Starts the first run. If the program cannot be started at all it is EXITED with the launch's
     * 126/127 and the exception says why: a command that cannot run is bad input, not a crash to retry.
     */
    public void start() throws LaunchException {
        Run started;
        try {
            started = launches.launch(run, null, limit.limit());
        } catch (LaunchException e) {
            ledger.reportAs(e.exitCode());
            phase = new Phase.Exited(e.exitCode(), false);
            throw e;
        }
        begin(started);
    }

    /**
     * Starts the first run; a command that cannot be run at all (127, 126) is FATAL at once with
     * that status instead of a crash loop: no restart can fix a missing program. Returns false then.
     * Used in config mode, where one program's bad command must not stop the others.
     */
    public boolean startOrGiveUp() {
        return launchOrGiveUp();
    }

    /** Leaves the program stopped until someone orders {@code start} ({@code autostart = false}). */
    public void holdUntilStarted() {
        if (run.number != 0) {
            throw new IllegalStateException("holdUntilStarted is for a program that never ran");
        }
        ledger.reportAs(0);
        phase = new Phase.Exited(0, false);
    }

    /**
     * Leaves the program unstarted until {@link #release()}: it waits for {@code forWhat}, the
     * programs it starts after. For a program that never ran; a run stopped because a program it
     * requires went down comes here by itself once its tree is gone.
     */
    public void hold(String forWhat) {
        if (run.number != 0) {
            throw new IllegalStateException("hold is for a program that never ran");
        }
        phase = new Phase.Held(forWhat);
    }

    /** What a WAITING program waits for, or null when it does not wait. */
    public String waitingFor() {
        return phase instanceof Phase.Held h ? h.forWhat() : null;
    }

    /**
     * The programs a WAITING program waits for are ready: it starts (the first run, or again after
     * they came back). Ignored in every other state. Returns whether it started.
     */
    public boolean release() {
        if (!(phase instanceof Phase.Held)) {
            return false;
        }
        if (run.number == 0) {
            return launchOrGiveUp();
        }
        relaunch(RestartReason.REQUIRED);
        return phase.state().hasTree();
    }

    // ---- events

    /** Time passed: acts on everything due (the main process's exit, a sample, the grace, the backoff). */
    public void onTick() {
        long now = clock.nanos();
        switch (phase.state()) {
            case EXITED, FATAL, WAITING -> {
                // Nothing is due until an order (or, WAITING, the programs it waits for).
            }
            case BACKOFF -> {
                Phase.Waiting w = (Phase.Waiting) phase;
                if (now >= w.untilNanos()) {
                    relaunch(w.reason());
                }
            }
            default -> watch(now);
        }
    }

    /** A tick with a tree: what the tree did since, then what the state's deadlines say. */
    private void watch(long now) {
        boolean exitedNow = false;
        if (!run.exited()) {
            OptionalInt status = run.child.exitStatus();
            if (status.isPresent()) {
                run.mainExit = status.getAsInt();
                exitedNow = true;
                // The exit may have come after this tick began: its run ends no earlier than now.
                now = clock.nanos();
            }
        }
        boolean kernelSpoke = backstop.spoke();
        if (kernelSpoke) {
            oom.heard(now);
        }
        int before = run.last.count();
        if (exitedNow || kernelSpoke || pace.due(now)) {
            sample(now);
        }
        boolean look = backstop.present() && (kernelSpoke || exitedNow || run.last.count() < before
                || oom.pending());
        if (look) {
            // Processes left the tree, or the kernel said something: was it the kernel's OOM killer?
            lookForKernelOom(now, true);
        }
        if (treeGone()) {
            onTreeGone(now);
            return;
        }
        onDeadlines(now);
        if (!look && backstop.present() && phase.state().hasTree()
                && oom.listening(now)) {
            // The kernel spoke lately: a kill it counts late is still found. After the limit's own
            // check: nothing stands before a SIGTERM.
            lookForKernelOom(now, true);
        }
    }

    /** What the state's deadlines and the limit say, for a tree that is not gone. */
    private void onDeadlines(long now) {
        switch (phase.state()) {
            case STARTING, RUNNING -> {
                if (run.exited()) {
                    onExit(now);
                } else {
                    checkLimit(now);
                    if (phase.state() == ProgramState.STARTING || phase.state() == ProgramState.RUNNING) {
                        onHealth(now, health.step(now, pid -> run.owns(pid, ProcFs.system())));
                    }
                }
            }
            case STOPPING -> {
                Phase.Stopping s = (Phase.Stopping) phase;
                if (now >= s.killAtNanos()) {
                    escalate(now, s.stop(), words.graceOver(run.last.count()));
                }
            }
            case KILLING -> {
                Phase.Killing k = (Phase.Killing) phase;
                if (now >= k.repeatAtNanos()) {
                    stopper.signal(run.child, run.last, Signal.KILL);
                    phase = new Phase.Killing(k.stop(), now + TieredStop.KILL_REPEAT_NANOS);
                }
            }
            default -> {
                // BACKOFF, EXITED, FATAL and WAITING have no tree to watch.
            }
        }
    }

    /** What the program's health says must be done: a failed check, a silent watchdog, no readiness in time. */
    private void onHealth(long now, Health.Verdict verdict) {
        Phase.Stop stop = switch (verdict) {
            case NONE -> null;
            case CHECK_RESTART -> Phase.Stop.of(StopReason.CHECK_FAILED);
            case CHECK_STOP -> Phase.Stop.forGood(StopReason.CHECK_FAILED);
            case WATCHDOG -> Phase.Stop.of(StopReason.WATCHDOG);
            case READY_TIMEOUT -> Phase.Stop.of(StopReason.READY_TIMEOUT);
        };
        if (stop != null) {
            beginStop(stop, settings.stopSignal(), now, ": " + health.why(verdict), -1);
        }
    }

    /** The main process exited and processes of its tree are left. */
    private void onExit(long now) {
        switch (phase.state()) {
            case STARTING, RUNNING -> beginStop(Phase.Stop.of(StopReason.LEFTOVERS), settings.stopSignal(), now, "", -1);
            default -> {
                // STOPPING, KILLING: the stop under way ends the leftovers too.
            }
        }
    }

    /** Every process of the tree is gone: record how the run ended, then restart, back off, give up, or end. */
    private void onTreeGone(long now) {
        if (backstop.present()) {
            // What the kernel did while nobody looked (Sentinel stopped or starved) still counts.
            lookForKernelOom(now, false);
        }
        Phase.Stop stop = stopOf(phase);
        boolean killed = phase instanceof Phase.Killing;
        StopReason reason = stop == null ? null : stop.reason();
        run.endedNanos = now;
        health.stopRun();
        run.sampler.close();
        run.child.release();
        Duration ran = Duration.ofNanos(run.durationNanos());
        int status = RunRecord.sentinelStatus(reason, killed, run.mainExit);
        ledger.exited(run.mainExit);
        ledger.record(new RunRecord(run.number, run.startedEpochMillis, ran.toMillis(), run.peakRss, run.mainExit,
                reason, killed, false));
        emit(words.exited(clock.epochMillis(), run.number, run.pid, run.mainExit, reason, ran, run.peakRss, status));
        run.last = TreeSample.EMPTY;
        pace.never();
        if (stop != null && stop.thenRestart()) {
            // An ordered restart starts again at once: no backoff, the count starts over.
            backoff.reset();
            ledger.reportAs(status);
            relaunch(RestartReason.ORDER);
            return;
        }
        if (reason == StopReason.REQUIRED && !stop.ordered()) {
            // Stopped because a program it requires went down: it waits for that one to come back.
            ledger.reportAs(status);
            phase = new Phase.Held(words.requiredDown());
            return;
        }
        boolean byOrder = stop != null && stop.byOrder();
        afterRun(ran, stop != null && (stop.ordered() || stop.keepDown()) ? Optional.empty()
                : RestartRule.after(settings.restart().policy(), reason, run.mainExit), status, byOrder);
    }

    /** The kernel's OOM killer killed a process of the tree ({@code treeLeft}: others are left). */
    private void onKernelOom(long now, KernelOomWatch.Report report, boolean treeLeft) {
        emit(words.kernelOom(clock.epochMillis(), run.number, report, backstop.limitBytes()));
        switch (phase.state()) {
            case KILLING -> {
                // Already killing the rest: the stop goes on as it is.
            }
            case STARTING, RUNNING, STOPPING -> {
                Phase.Stop was = stopOf(phase);
                Phase.Stop stop = new Phase.Stop(StopReason.KERNEL_OOM, was != null && was.thenRestart(),
                        was != null && was.byOrder(), was != null && was.keepDown());
                health.stopRun();
                ledger.stopped(StopReason.KERNEL_OOM);
                if (treeLeft) {
                    escalate(now, stop, words.killTheRest(report));
                } else {
                    // The kernel's SIGKILL was the run's last signal.
                    phase = new Phase.Killing(stop, NEVER);
                    stopper.count(StopReason.KERNEL_OOM, Signal.KILL);
                }
            }
            default -> {
                // BACKOFF, EXITED, FATAL and WAITING have no tree the kernel could kill.
            }
        }
    }

    // ---- orders

    /** Tiered stop with the program's own stop signal first. */
    public OrderResult onStop(StopReason reason) {
        return onStop(reason, settings.stopSignal());
    }

    /** Tiered stop: {@code first} to the tree, then SIGKILL after the grace period. In BACKOFF, cancels the restart. */
    public OrderResult onStop(StopReason reason, Signal first) {
        return switch (phase.state()) {
            case EXITED, FATAL -> words.nothingToStop(phase.state());
            case BACKOFF -> cancelRestart(reason);
            case WAITING -> stopWaiting(reason);
            case STOPPING, KILLING -> {
                boolean cancelled = noteOrder(reason);
                yield words.alreadyStopping(cancelled, stopOf(phase).reason());
            }
            default -> {
                refresh();
                beginStop(Phase.Stop.of(reason), first, clock.nanos(), "", -1);
                yield words.stopping(first);
            }
        };
    }

    /** SIGKILL to the whole tree at once. In BACKOFF, cancels the restart. */
    public OrderResult onKill(StopReason reason) {
        Phase.Stop stop;
        switch (phase.state()) {
            case EXITED, FATAL -> {
                return words.nothingToKill(phase.state());
            }
            case BACKOFF -> {
                return cancelRestart(reason);
            }
            case WAITING -> {
                return stopWaiting(reason);
            }
            case STOPPING, KILLING -> {
                // The stop keeps its first reason: the kill is counted under it.
                noteOrder(reason);
                stop = stopOf(phase);
            }
            default -> {
                ledger.stopped(reason);
                stop = Phase.Stop.of(reason);
            }
        }
        refresh();
        escalate(clock.nanos(), stop, reason.description());
        return words.killed(run.last.count());
    }

    /**
     * Tiered stop, then the same command again at once. In BACKOFF, EXITED or FATAL it starts the
     * program now. An ordered restart clears the restart count.
     */
    public OrderResult onRestart() {
        if (!launches.ordersStart()) {
            return words.notItsParent("restart", run.pid, waitingFor());
        }
        switch (phase.state()) {
            case BACKOFF, EXITED, FATAL, WAITING -> {
                return startNow("restart");
            }
            case STOPPING -> {
                Phase.Stopping s = (Phase.Stopping) phase;
                phase = new Phase.Stopping(s.stop().restarting(true), s.killAtNanos());
                return words.restartingOnceGone();
            }
            case KILLING -> {
                Phase.Killing k = (Phase.Killing) phase;
                phase = new Phase.Killing(k.stop().restarting(true), k.repeatAtNanos());
                return words.restartingOnceGone();
            }
            default -> {
                refresh();
                beginStop(Phase.Stop.of(StopReason.RESTART).restarting(true), settings.stopSignal(), clock.nanos(),
                        "", -1);
                return words.restarting();
            }
        }
    }

    /** Starts a program that is in BACKOFF (without waiting for the delay), EXITED or FATAL; clears the count. */
    public OrderResult onStart() {
        if (!launches.ordersStart() && !phase.state().hasTree()) {
            return words.notItsParent("start", run.pid, waitingFor());
        }
        return phase.state().hasTree() ? words.alreadyRunning(phase.state()) : startNow("start");
    }

    /** Changes the limit; the new one applies from the next sample (and to the kernel's, with a cgroup). */
    public OrderResult onLimit(MemoryLimit newLimit) {
        MemoryLimit old = limit.limit();
        if (newLimit.isRelative() && old.reference() <= 0) {
            return OrderResult.refused("a percentage needs the container's limit or the host's memory, "
                    + "which " + name() + " does not know; give a size");
        }
        newLimit = newLimit.resolve(old.reference());
        limit.setLimit(newLimit);
        long oldKernel = backstop.limitBytes();
        if (backstop.present()) {
            launches.applyKernelLimits(run.number, newLimit);
        }
        emit(words.limitChanged(clock.epochMillis(), run.number, old, newLimit,
                backstop.limitBytes() != oldKernel, backstop.limitBytes()));
        pace.soon(clock.nanos());
        return words.limitChanged(old, newLimit);
    }

    /** Sends {@code signal} to the program's process group. */
    public OrderResult forward(Signal signal) {
        if (phase.state().hasTree() && run.child != null && stopper.forward(run.child, signal)) {
            return words.forwarded(signal);
        }
        return words.nothingToSignal(phase.state());
    }

    /**
     * Counts {@code pid} as part of this program's tree: an orphan of it that Sentinel's subreaper
     * adopted before any sample saw it. False if the program has no tree now.
     */
    public boolean adopt(long pid) {
        if (!phase.state().hasTree() || run.sampler == null) {
            return false;
        }
        run.sampler.adopt(pid);
        pace.soon(clock.nanos());
        return true;
    }

    // ---- what the loop and the outside read

    /** When {@link #onTick()} must run next at the latest (monotonic nanos). */
    public long nextWakeNanos() {
        return switch (phase.state()) {
            case EXITED, FATAL, WAITING -> NEVER;
            case BACKOFF -> ((Phase.Waiting) phase).untilNanos();
            case STOPPING -> Math.min(pace.next(), ((Phase.Stopping) phase).killAtNanos());
            case KILLING -> Math.min(pace.next(), ((Phase.Killing) phase).repeatAtNanos());
            default -> Math.min(pace.next(), health.nextWakeNanos());
        };
    }

    public ProgramState state() {
        return phase.state();
    }

    /** True once nothing more will happen to the program (EXITED or FATAL) unless someone starts it. */
    public boolean isFinished() {
        return phase.state().isFinal();
    }

    /**
     * The status Sentinel exits with once the program is finished: the last run's, as
     * {@link RunRecord#sentinelStatus()} reports it (143/137 after a memory stop), or 126/127 if
     * the program never ran.
     */
    public int exitCode() {
        return ledger.sentinelStatus();
    }

    /**
     * True when the program is EXITED because someone asked (a stop or kill order, a signal to
     * Sentinel, a cancelled restart, a reload) rather than on its own; config mode counts such an
     * end as clean when it decides Sentinel's exit status.
     */
    public boolean endedByOrder() {
        return phase instanceof Phase.Exited e && e.byOrder();
    }

    public ProgramSettings settings() {
        return settings;
    }

    public MemoryLimit limit() {
        return limit.limit();
    }

    public String name() {
        return settings.name();
    }

    /**
     * Names the container Sentinel runs in (its memory limit) in every started line from now on;
     * null for none.
     */
    public void describeContainer(String container) {
        launches.container = container;
    }

    /** What the last sample of the tree measured, 0 without a tree (stopped, waiting, not started). */
    public long treeBytes() {
        return switch (phase.state()) {
            case STARTING, RUNNING, STOPPING, KILLING -> run.last.rssBytes();
            default -> 0;
        };
    }

    /** The main process of the current (or last) run, 0 before the first start. */
    public long pid() {
        return run.pid;
    }

    /** The current (or last) run: 1, 2, ...; 0 before the first start. */
    public int run() {
        return run.number;
    }

    /**
     * Whether the current run is a process Sentinel attached to ({@code sentinel attach}) rather
     * than started; until {@link #detach()}.
     */
    public boolean attached() {
        return run.child != null && run.child.attached() && phase.state().hasTree();
    }

    /**
     * Lets go of an attached tree without a signal: it goes on running, Sentinel no longer
     * watches it. Only for an {@link #attached()} run.
     */
    public void detach() {
        if (attached()) {
            // The sampler stays open: the loop may tick once more before it sees Sentinel's end.
            run.child.release();
        }
    }

    /** Whether the program lives in a cgroup of its own. */
    public boolean hasCgroup() {
        return backstop.present();
    }

    public ProgramSnapshot snapshot() {
        long now = clock.nanos();
        boolean running = run.child != null && phase.state().hasTree();
        long uptime = run.number == 0 ? 0 : ((running ? now : run.endedNanos) - run.startedNanos) / 1_000_000;
        // Called at every tick: the stability check (and its Duration) only when there is a streak.
        int streak = backoff.streak();
        if (streak > 0 && running && backoff.isStable(Duration.ofMillis(uptime))) {
            streak = 0;
        }
        long nextRestart = phase instanceof Phase.Waiting w ? restartEpochMillis(w, now) : 0;
        return new ProgramSnapshot(settings, phase.state(), limit.limit(),
                new ProgramSnapshot.Run(run.pid, running ? run.last.rssBytes() : 0, run.peakRss,
                        running ? run.last.processes() : List.of(), run.cpuTicks / 100.0, run.startedEpochMillis,
                        uptime, run.mainExit, running ? run.growthNow : 0),
                new ProgramSnapshot.Ledger(ledger.restarts(), ledger.lastStop(), stopper.counts(),
                        ledger.status(run.number, streak, nextRestart), ledger.history(), pace.samples(),
                        run.last.costNanos()),
                new ProgramSnapshot.Kernel(backstop.limitBytes(), backstop.describe()),
                health.snapshot(phase.state(), expected(), waitingFor()));
    }

    /**
     * When the pending restart is due by the wall clock. The restart itself waits for the monotonic
     * deadline; the wall-clock time told to users was taken when it was scheduled, and a jump of the
     * wall clock since (an NTP step, a clock set by hand) would make the status say "restart in 1h"
     * for one due in seconds. So it is taken again from the monotonic deadline once it is more than a
     * second off (not at every snapshot: an unchanged status stays the same object).
     */
    private long restartEpochMillis(Phase.Waiting w, long nowNanos) {
        long fresh = clock.epochMillis() + Math.max(0, (w.untilNanos() - nowNanos) / 1_000_000L);
        return Math.abs(fresh - w.untilEpochMillis()) > 1000 ? fresh : w.untilEpochMillis();
    }

    /**
     * Whether the program should be running, so that not being ready counts against Sentinel's
     * readiness: not once it ended by an order or cleanly, nor before a start it waits to be ordered.
     */
    private boolean expected() {
        if (phase instanceof Phase.Exited e) {
            return !e.byOrder() && e.status() != 0;
        }
        return true;
    }

    /** Whether the program has a check, or a readiness it must be told of. */
    public boolean watched() {
        return health.watched();
    }

    /** Whether the program is ready now: running, and its check and its notify socket agree. */
    public boolean isReady() {
        return (phase.state() == ProgramState.RUNNING || phase.state() == ProgramState.STARTING) && health.ready();
    }

    /** Whether it ran and ended by itself with status 0, and nothing restarts it: a one-shot job that is done. */
    public boolean endedCleanly() {
        return phase instanceof Phase.Exited e && !e.byOrder() && e.status() == 0 && run.number > 0;
    }

    // ---- runs

    /** A launched run begins: STARTING until a sample sees its tree (the first comes at once). */
    private void begin(Run started) {
        run = started;
        phase = STARTING;
        limit.reset();
        oom.startRun(started.oomKillsBefore);
        health.speaker(started.pid);
        health.startRun(started.number, clock.nanos(), clock.epochMillis());
        sample(clock.nanos());
    }

    /** The first launch; on failure FATAL at once (and false). */
    private boolean launchOrGiveUp() {
        try {
            begin(launches.launch(run, null, limit.limit()));
            return true;
        } catch (LaunchException e) {
            cannotRun(e);
            return false;
        }
    }

    /** Starts the program again (a due restart, or an order); a failure to start is that run's end. */
    private void relaunch(RestartReason reason) {
        ledger.countRestart(reason);
        try {
            begin(launches.launch(run, reason, limit.limit()));
        } catch (LaunchException e) {
            if (reason == RestartReason.ORDER) {
                cannotRun(e);
                return;
            }
            run = launches.failed(run, e, true);
            afterRun(Duration.ZERO, RestartRule.after(settings.restart().policy(), null, run.mainExit), run.mainExit,
                    false);
        }
    }

    /** An order starts the program now, from BACKOFF, EXITED or FATAL; the restart count starts over. */
    private OrderResult startNow(String order) {
        ProgramState was = phase.state();
        Duration dueIn = phase instanceof Phase.Waiting w
                ? Duration.ofNanos(Math.max(0, w.untilNanos() - clock.nanos())) : Duration.ZERO;
        backoff.reset();
        if (run.number == 0) {
            // autostart = false: the first run, not a restart.
            return launchOrGiveUp() ? words.startedFirst(run.pid) : words.couldNotStart(order, run.mainExit);
        }
        relaunch(RestartReason.ORDER);
        return phase.state().hasTree() ? words.startedAgain(run.pid, was, dueIn)
                : words.couldNotStart(order, run.mainExit);
    }

    /** The command cannot be run: FATAL with the launch's status, until someone orders a start. */
    private void cannotRun(LaunchException e) {
        run = launches.failed(run, e, false);
        ledger.reportAs(run.mainExit);
        phase = new Phase.Fatal(run.mainExit);
        emit(words.cannotRun(clock.epochMillis(), run.number, run.mainExit));
    }

    /** What follows a run that is over: EXITED, or a restart through BACKOFF (even with no delay), or FATAL. */
    private void afterRun(Duration ran, Optional<RestartReason> restart, int status, boolean byOrder) {
        ledger.reportAs(status);
        if (restart.isEmpty()) {
            phase = new Phase.Exited(status, byOrder);
            return;
        }
        Backoff.Decision decision = backoff.afterRun(ran);
        if (decision instanceof Backoff.Decision.GiveUp g) {
            phase = new Phase.Fatal(status);
            emit(words.gaveUp(clock.epochMillis(), run.number, g.restarts(), run.mainExit, status));
            return;
        }
        Backoff.Decision.Restart r = (Backoff.Decision.Restart) decision;
        // Through BACKOFF even with no delay (the next tick starts it): a program that cannot be
        // started never recurses here.
        phase = new Phase.Waiting(restart.get(), clock.nanos() + r.delay().toNanos(),
                clock.epochMillis() + r.delay().toMillis());
        emit(words.restartScheduled(clock.epochMillis(), run.number, restart.get(), r.delay(), r.streak(), ran));
    }

    /** A stop or kill order while WAITING: it will not start when the programs it waits for are ready. */
    private OrderResult stopWaiting(StopReason reason) {
        phase = new Phase.Exited(ledger.sentinelStatus(), true);
        ledger.stopped(reason);
        return words.noLongerWaiting();
    }

    /** A stop or kill order in BACKOFF: the restart is cancelled, and the order is what ended supervision. */
    private OrderResult cancelRestart(StopReason reason) {
        Duration left = Duration.ofNanos(Math.max(0, ((Phase.Waiting) phase).untilNanos() - clock.nanos()));
        phase = new Phase.Exited(ledger.sentinelStatus(), true);
        ledger.stopped(reason);
        return words.restartCancelled(left);
    }

    // ---- stopping

    /**
     * An order that arrives while the tree is being stopped already: the stop goes on as it is, but
     * a stop or kill order means the program must stay stopped afterwards (no policy restart, and
     * a restart ordered before is cancelled). Returns whether it cancelled a restart.
     */
    private boolean noteOrder(StopReason reason) {
        Phase.Stop stop = stopOf(phase);
        boolean cancelled = stop.thenRestart() && reason != StopReason.RESTART;
        Phase.Stop now = stop.restarting(stop.thenRestart() && !cancelled);
        if (reason.isOrder() && reason != StopReason.RESTART) {
            now = now.orderedToo();
        }
        phase = phase instanceof Phase.Killing k ? new Phase.Killing(now, k.repeatAtNanos())
                : new Phase.Stopping(now, ((Phase.Stopping) phase).killAtNanos());
        return cancelled;
    }

    /**
     * The first tier: {@code first} to the tree, the grace counted from the signal.
     *
     * @param crossedAt when the tree crossed its limit in this very tick (its event is emitted once
     *                  the signal is sent, before the signal's own), or -1
     */
    private void beginStop(Phase.Stop stop, Signal first, long now, String detail, long crossedAt) {
        ledger.stopped(stop.reason());
        health.stopRun();
        stopper.signal(run.child, run.last, first);
        if (first != Signal.CONT && hasStopped(run.last)) {
            // A stopped process (SIGSTOP, ^Z) acts on its stop signal only once it runs again: as
            // systemd does, SIGCONT follows, so the grace is not spent on a frozen tree.
            stopper.signal(run.child, run.last, Signal.CONT);
        }
        // The grace counts from the signal, not from the start of the tick that decided it: the
        // sample in between can take milliseconds on a large tree or a busy machine. The event is
        // stamped at the same moment, so its time and the deadline agree.
        long sentAt = clock.epochMillis();
        phase = new Phase.Stopping(stop, Math.max(now, clock.nanos()) + settings.grace().toNanos());
        stopper.count(stop.reason(), first);
        if (crossedAt >= 0) {
            emit(words.limitCrossed(crossedAt, run.number, run.pid, run, limit.limit()));
        }
        emit(words.firstSignal(sentAt, run.number, run.pid, first, stop.reason(), detail, run.last.count()));
        pace.soon(now + STOPPING_SAMPLE_NANOS);
    }

    /** Whether the sample saw a process of the tree stopped by a signal (state T). */
    private static boolean hasStopped(TreeSample sample) {
        for (ProcessSample p : sample.processes()) {
            if (p.state() == 'T') {
                return true;
            }
        }
        return false;
    }

    /** SIGKILL to the tree, for {@code stop}. */
    private void escalate(long now, Phase.Stop stop, String why) {
        health.stopRun();
        stopper.signal(run.child, run.last, Signal.KILL);
        long sentAt = clock.epochMillis();
        phase = new Phase.Killing(stop, now + TieredStop.KILL_REPEAT_NANOS);
        stopper.count(stop.reason(), Signal.KILL);
        emit(words.kill(sentAt, run.number, run.pid, stop.reason(), why, run.last.count()));
        pace.soon(now + STOPPING_SAMPLE_NANOS);
    }

    private static Phase.Stop stopOf(Phase p) {
        if (p instanceof Phase.Stopping s) {
            return s.stop();
        }
        return p instanceof Phase.Killing k ? k.stop() : null;
    }

    // ---- sampling and the limit

    /** Orders arrive between samples: look at the tree as it is now, so new forks are signalled too. */
    private void refresh() {
        sample(clock.nanos());
    }

    private void sample(long now) {
        run.sample(now);
        if (phase == STARTING && !run.last.isEmpty()) {
            phase = RUNNING;
        }
        if (run.hidden > 0 && !run.hiddenTold && !run.exited()) {
            run.hiddenTold = true;
            emit(words.hiddenProcesses(clock.epochMillis(), run.number, run.hidden));
        }
        long rss = run.last.rssBytes();
        long delay = switch (phase.state()) {
            case STOPPING, KILLING -> STOPPING_SAMPLE_NANOS;
            // Tolerating: the policy would sample every millisecond over the limit; a dip is seen at
            // the normal pace, and the tolerance's end exactly.
            default -> limit.tolerating(rss) ? limit.toleranceEndsAtNanos() - now
                    : pace.policyDelay(rss, limit.limit(), run.growthNow);
        };
        pace.sampled(now, delay);
    }

    private boolean treeGone() {
        if (!run.exited() || !run.last.isEmpty()) {
            return false;
        }
        // With a cgroup the kernel's count is the word: it sees processes no sample did.
        return backstop.present() ? !backstop.populated() : !stopper.groupAlive(run.child);
    }

    private void lookForKernelOom(long now, boolean treeLeft) {
        KernelOomWatch.Report report = oom.look(now, backstop.oomKills(), treeLeft, run);
        if (report != null) {
            onKernelOom(now, report, treeLeft);
        } else if (oom.pending()) {
            pace.soon(now + 1_000_000L);
        }
    }

    private void checkLimit(long now) {
        switch (limit.judge(run.last.rssBytes(), run.lastSampleNanos)) {
            case UNDER, TOLERATING -> {
            }
            case CLEARED -> emit(words.limitCleared(clock.epochMillis(), run.number, limit.clearedAfter(),
                    run.last.rssBytes(), limit.limit()));
            case CROSSED -> emit(words.limitCrossed(clock.epochMillis(), run.number, run.pid, run, limit.limit()));
            case STOP -> {
                // The signal goes first: nothing may stand between a crossing and its SIGTERM, and the
                // crossing's event (the biggest processes, its fields) is work the first time it runs.
                long crossedAt = limit.crossedNow() ? clock.epochMillis() : -1;
                beginStop(Phase.Stop.of(StopReason.MEMORY), settings.stopSignal(), now,
                        words.overFor(limit.overFor(run.lastSampleNanos)), crossedAt);
            }
        }
    }

    private void emit(Event e) {
        events.emit(e);
    }
}
