package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventLog;
import dev.sentinel.events.EventSink;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.time.Clock;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.Signal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one loop that owns all mutable state. It sleeps ({@link Wakeup}) until the earliest sample
 * or deadline of any program is due or another thread posts a command (or a child exits); then it
 * acts and publishes an immutable {@link Snapshot} of every program. Other threads never touch a
 * guardian: they read {@link #latest()} or {@link #post} a command. N programs are N guardians on
 * this one thread, never N threads.
 *
 * <p>Two modes share this one code path. A single command (the command line) is one program whose
 * end is Sentinel's end and whose status is Sentinel's. A config file ({@link #forConfig}) is N
 * programs started in priority order and stopped in reverse; Sentinel ends when it is told to (exit
 * 0 once every tree is gone) or when nothing runs or waits to restart (0 if every program ended
 * cleanly, 1 otherwise), unless {@code keep_running}; SIGHUP and {@code reload} re-read the file.
 *
 * <p>It watches no channel: the control socket's connections live on their own thread (see
 * {@code ControlServer}), so a thousand quiet clients cost this loop nothing per tick.
 */
public final class Supervisor implements LoopContext {

    private static final Logger LOG = LoggerFactory.getLogger(Supervisor.class);
    private static final long MAX_WAIT_NANOS = 60_000_000_000L;
    /**
     * The same stop signal again within this window is the same request, not a second one: GNU
     * timeout sends SIGTERM to its child and then to the child's whole process group, so Sentinel
     * receives it twice within milliseconds. A person pressing Ctrl-C twice is slower than this.
     */
    static final long SAME_SIGNAL_NANOS = 200_000_000L;
    private static final String SHUTTING_DOWN = "Sentinel is shutting down; nothing was reloaded";
    /** The name events about Sentinel itself carry in config mode. */
    public static final String SELF = "sentinel";

    /** What config mode adds: a way to build programs, to re-read the file, and keep_running. */
    public record ConfigMode(ProgramFactory factory, Reloader reloader, boolean keepRunning) {
    }

    private final Wakeup wakeup;
    private final Clock clock;
    private final RunInfo info;
    private final List<ProgramSlot> slots = new ArrayList<>();
    /** The guardians of {@link #slots}, rebuilt when a reload adds or removes one. */
    private List<Program> guardians;
    private final EventLog events;
    private final List<LoopExtension> extensions;
    private final ProgramFactory factory;
    private final Reloader reloader;
    private boolean keepRunning;
    private final Queue<Consumer<LoopContext>> commands = new ConcurrentLinkedQueue<>();
    private volatile Snapshot latest;
    private long sequence;
    private int stopSignals;
    private Signal lastStopSignal;
    private long lastStopSignalNanos;
    /** Reads the config file for a reload, one at a time, off the loop (created at the first reload). */
    private ExecutorService reloading;
    /** Config mode: someone told Sentinel to stop; it exits 0 once every tree is gone. */
    private StopReason shutdown;

    public Supervisor(Wakeup wakeup, Clock clock, RunInfo info, Program guardian, EventLog events,
                      List<LoopExtension> extensions) {
        this(wakeup, clock, info, List.of(guardian), events, extensions);
    }

    public Supervisor(Wakeup wakeup, Clock clock, RunInfo info, List<Program> guardians, EventLog events,
                      List<LoopExtension> extensions) {
        this(wakeup, clock, info, specsOf(guardians), guardians, events, extensions, null);
    }

    private Supervisor(Wakeup wakeup, Clock clock, RunInfo info, List<ProgramSettings> specs, List<Program> built,
                       EventLog events, List<LoopExtension> extensions, ConfigMode mode) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("nothing to supervise");
        }
        this.wakeup = wakeup;
        this.clock = clock;
        this.info = info;
        this.events = events;
        this.extensions = List.copyOf(extensions);
        this.factory = mode == null ? null : mode.factory();
        this.reloader = mode == null ? null : mode.reloader();
        this.keepRunning = mode != null && mode.keepRunning();
        for (int i = 0; i < specs.size(); i++) {
            slots.add(new ProgramSlot(specs.get(i), built != null ? built.get(i) : factory.create(specs.get(i))));
        }
        this.guardians = guardiansOf(slots);
        this.latest = new Snapshot(0, clock.epochMillis(), info, programSnapshots(), List.of());
    }

    /**
     * Config mode: the programs of a file, each built by the mode's factory. {@code info} must name
     * the file ({@link RunInfo#configMode()}).
     */
    public static Supervisor forConfig(Wakeup wakeup, Clock clock, RunInfo info, List<ProgramSettings> specs,
                                       ConfigMode mode, EventLog events, List<LoopExtension> extensions) {
        if (!info.configMode()) {
            throw new IllegalArgumentException("config mode needs the config file in RunInfo");
        }
        return new Supervisor(wakeup, clock, info, specs, null, events, extensions, mode);
    }

    private static List<ProgramSettings> specsOf(List<Program> guardians) {
        List<ProgramSettings> out = new ArrayList<>(guardians.size());
        for (Program g : guardians) {
            out.add(g.settings());
        }
        return out;
    }

    private static List<Program> guardiansOf(List<ProgramSlot> slots) {
        List<Program> out = new ArrayList<>(slots.size());
        for (ProgramSlot s : slots) {
            out.add(s.guardian);
        }
        return List.copyOf(out);
    }

    private boolean configMode() {
        return factory != null;
    }

    /**
     * Starts the programs and supervises them until Sentinel's work is over (see the class comment).
     *
     * @return the exit status Sentinel should exit with: in single-command mode the program's (its
     *         last run's status, 143/137 after a memory stop); in config mode 0 after an ordered
     *         shutdown or when every program ended cleanly, 1 otherwise
     * @throws LaunchException in single-command mode, if the program cannot be started at all (126/127)
     */
    public int run() throws LaunchException {
        try {
            begin();
            while (!over()) {
                waitForWork();
                turn();
            }
            return exitCode();
        } finally {
            if (reloading != null) {
                reloading.shutdownNow();
            }
            for (LoopExtension e : extensions) {
                try {
                    e.close();
                } catch (RuntimeException ex) {
                    LOG.warn("closing {} failed", e, ex);
                }
            }
        }
    }

    /** Attaches the extensions, starts the programs and publishes the first snapshot. */
    void begin() throws LaunchException {
        for (LoopExtension e : extensions) {
            e.attach(this);
        }
        startAll();
        publish();
    }

    /** One turn of the loop, once woken: posted commands, every program's tick, reloads, the shutdown. */
    void turn() {
        runCommands();
        for (int i = 0; i < slots.size(); i++) {
            slots.get(i).guardian.tick();
        }
        if (configMode()) {
            finishReloads();
            if (shutdown != null) {
                advanceShutdown();
            }
        }
        publish();
    }

    /**
     * Single-command mode: the one program, whose failure to start is Sentinel's. Config mode: in
     * priority order (lower first; equal ones in file order, one right after the other); a program
     * that cannot be run is FATAL and the others go on.
     */
    private void startAll() throws LaunchException {
        if (!configMode()) {
            for (ProgramSlot s : slots) {
                s.guardian.start();
            }
            return;
        }
        List<ProgramSlot> order = new ArrayList<>(slots);
        order.sort(Comparator.comparingInt(s -> s.spec.priority()));
        for (ProgramSlot s : order) {
            startFirst(s);
        }
    }

    private static void startFirst(ProgramSlot s) {
        if (s.spec.autostart()) {
            s.guardian.startOrGiveUp();
        } else {
            s.guardian.holdUntilStarted();
        }
    }

    /** Hands a command to the loop; safe from any thread, returns at once. */
    @Override
    public void post(Consumer<LoopContext> command) {
        commands.add(command);
        wakeup.wake();
    }

    /** Reacts to a signal sent to Sentinel itself now (call on the loop, e.g. through {@link #post}). */
    public void onSignal(Signal signal) {
        onSignal(signal, clock.nanos());
    }

    /**
     * Reacts to a signal sent to Sentinel itself, received at {@code receivedNanos} (call on the loop).
     * SIGINT and SIGTERM stop every program in tiers (in single-command mode the received signal is
     * the first tier; in config mode each program's stop signal, in reverse priority order); a
     * second one kills at once, unless it is the same signal within {@link #SAME_SIGNAL_NANOS} of
     * the first (one request delivered twice). In config mode SIGHUP reloads the file. Others are
     * forwarded to each program's process group.
     */
    public void onSignal(Signal signal, long receivedNanos) {
        if (signal == Signal.INT || signal == Signal.TERM) {
            if (signal == lastStopSignal && receivedNanos - lastStopSignalNanos < SAME_SIGNAL_NANOS) {
                LOG.debug("{} again within {} ms: the same request", signal, SAME_SIGNAL_NANOS / 1_000_000);
                return;
            }
            lastStopSignal = signal;
            lastStopSignalNanos = receivedNanos;
            stopSignals++;
            if (configMode()) {
                noteSelf("received " + signal.fullName() + ": " + (stopSignals > 1 ? killAll() : shutdown(StopReason.SIGNAL)));
                return;
            }
            for (Program g : guardians) {
                stopOnSignal(g, signal);
            }
            return;
        }
        if (signal == Signal.HUP && configMode()) {
            noteSelf("received " + signal.fullName() + ": reloading " + info.configFile());
            reload(r -> LOG.debug("SIGHUP reload: {}", r));
            return;
        }
        for (Program g : guardians) {
            if (g.forward(signal)) {
                note(g, "forwarded " + signal.fullName() + " to the process group");
            }
        }
    }

    private void stopOnSignal(Program g, Signal signal) {
        ProgramState s = g.state();
        if (s.isFinal()) {
            return;
        }
        if (s == ProgramState.BACKOFF) {
            note(g, "received " + signal.fullName() + ": " + g.stop(StopReason.SIGNAL, signal));
        } else if (stopSignals > 1 || s == ProgramState.STOPPING || s == ProgramState.KILLING) {
            note(g, "received " + signal.fullName() + " again: killing the tree now");
            g.kill(StopReason.SIGNAL);
        } else {
            note(g, "received " + signal.fullName() + ": stopping the tree");
            g.stop(StopReason.SIGNAL, signal);
        }
    }

    /**
     * Config mode: stops every program, the highest priority first, each group in its own tiers and
     * in parallel; the next group is stopped once the previous group's trees are gone. Restarts
     * due are cancelled. Sentinel then exits 0. Single-command mode: stops the program (its status
     * stays Sentinel's).
     */
    @Override
    public String shutdown(StopReason reason) {
        if (!configMode()) {
            return guardian().stop(reason);
        }
        if (shutdown != null) {
            return "already shutting down (" + running() + " still running)";
        }
        shutdown = reason;
        for (ProgramSlot s : slots) {
            s.replacement = null;
        }
        advanceShutdown();
        int n = running();
        return n == 0 ? "nothing runs: Sentinel exits"
                : "stopping " + n + " program" + (n == 1 ? "" : "s") + " in reverse priority order; Sentinel exits "
                        + "when all are gone";
    }

    private String killAll() {
        int n = 0;
        for (ProgramSlot s : slots) {
            Program g = s.guardian;
            if (g.state().hasTree()) {
                g.kill(StopReason.SIGNAL);
                n++;
            } else if (g.state() == ProgramState.BACKOFF) {
                g.stop(StopReason.SIGNAL);
            }
        }
        if (shutdown == null) {
            shutdown = StopReason.SIGNAL;
        }
        return "killing " + n + " tree" + (n == 1 ? "" : "s") + " now";
    }

    private int running() {
        int n = 0;
        for (ProgramSlot s : slots) {
            if (s.guardian.state().hasTree()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Cancels pending restarts and stops the group with the highest priority that still has a tree;
     * lower priorities wait until it is gone (they stop last, as they started first).
     */
    private void advanceShutdown() {
        int highest = Integer.MIN_VALUE;
        for (ProgramSlot s : slots) {
            Program g = s.guardian;
            if (g.state() == ProgramState.BACKOFF) {
                g.stop(shutdown);
            } else if (g.state().hasTree()) {
                highest = Math.max(highest, s.spec.priority());
            }
        }
        if (highest == Integer.MIN_VALUE) {
            return;
        }
        StringBuilder group = new StringBuilder();
        for (ProgramSlot s : slots) {
            ProgramState st = s.guardian.state();
            if (s.spec.priority() == highest && (st == ProgramState.STARTING || st == ProgramState.RUNNING)) {
                s.guardian.stop(shutdown);
                group.append(group.length() == 0 ? "" : ", ").append(s.guardian.name());
            }
        }
        if (group.length() > 0) {
            // Each program's own signal-sent line follows; this one says why now and in which order.
            noteSelf("shutdown: stopping priority " + highest + " (" + group + ")");
        }
    }

    /** Reads the file on the loop; {@link #reload(Consumer)} is what Sentinel itself uses. */
    @Override
    public ReloadOutcome reload() {
        if (!configMode()) {
            return LoopContext.super.reload();
        }
        if (shutdown != null) {
            return refusedReload(List.of(SHUTTING_DOWN));
        }
        return carryOut(readPlan());
    }

    @Override
    public void reload(Consumer<ReloadOutcome> done) {
        if (!configMode() || shutdown != null) {
            done.accept(reload());
            return;
        }
        if (reloading == null) {
            reloading = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sentinel-reload");
                t.setDaemon(true);
                return t;
            });
        }
        reloading.execute(() -> {
            ReloadPlan plan = readPlan();
            // One reload at a time: the next file is compared with this one only once it is applied.
            CompletableFuture<Void> applied = new CompletableFuture<>();
            post(ctx -> {
                try {
                    done.accept(shutdown != null
                            ? refusedReload(List.of(SHUTTING_DOWN))
                            : carryOut(plan));
                } finally {
                    applied.complete(null);
                }
            });
            try {
                // No timeout: the loop always runs what is posted; when Sentinel ends, shutdownNow interrupts.
                applied.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.debug("applying a reload failed", e);
            }
        });
    }

    private ReloadPlan readPlan() {
        try {
            return reloader.plan();
        } catch (RuntimeException e) {
            LOG.warn("reading the config file failed", e);
            return new ReloadPlan.Refused(List.of("reading " + info.configFile() + " failed: " + e));
        }
    }

    private ReloadOutcome carryOut(ReloadPlan plan) {
        if (plan instanceof ReloadPlan.Refused r) {
            return refusedReload(r.problems());
        }
        ReloadPlan.Apply apply = (ReloadPlan.Apply) plan;
        ReloadOutcome outcome = applyReload(apply);
        reloader.applied(apply);
        return outcome;
    }

    private ReloadOutcome refusedReload(List<String> problems) {
        events.emit(new Event(clock.epochMillis(), SELF, 0, EventKind.RELOADED,
                "reload refused, nothing changed: " + String.join("; ", problems),
                Event.fields("applied", false, "changes", problems)));
        return new ReloadOutcome(false, problems);
    }

    private ReloadOutcome applyReload(ReloadPlan.Apply plan) {
        List<String> lines = new ArrayList<>();
        keepRunning = plan.keepRunning();
        for (String name : plan.removed()) {
            ProgramSlot s = slot(name);
            if (s == null) {
                continue;
            }
            s.replacement = null;
            s.removing = true;
            lines.add(name + ": removed; " + stopFor(s));
        }
        for (ProgramSettings spec : plan.changed()) {
            ProgramSlot s = slot(spec.name());
            if (s == null) {
                continue;
            }
            s.replacement = spec;
            lines.add(spec.name() + ": changed; " + stopFor(s));
        }
        for (ProgramSettings spec : plan.added()) {
            Program g = create(spec);
            if (g == null) {
                lines.add(spec.name() + ": added, but it could not be set up (see the warning); not started");
                continue;
            }
            ProgramSlot s = new ProgramSlot(spec, g);
            slots.add(s);
            startFirst(s);
            lines.add(spec.name() + ": added; " + (spec.autostart()
                    ? (s.guardian.state().hasTree() ? "started" : "could not start (" + s.guardian.state() + ")")
                    : "autostart = false: waits for 'start " + spec.name() + "'"));
        }
        for (String name : plan.unchanged()) {
            lines.add(name + ": unchanged");
        }
        lines.addAll(plan.notes());
        finishReloads();
        guardians = guardiansOf(slots);
        events.emit(new Event(clock.epochMillis(), SELF, 0, EventKind.RELOADED,
                "reloaded " + info.configFile() + ": " + plan.added().size() + " added, " + plan.changed().size()
                        + " changed, " + plan.removed().size() + " removed, " + plan.unchanged().size() + " unchanged",
                Event.fields("applied", true, "changes", lines)));
        return new ReloadOutcome(true, lines);
    }

    /** Stops the slot's tree for a reload, or cancels its pending restart; says which. */
    private static String stopFor(ProgramSlot s) {
        Program g = s.guardian;
        ProgramState st = g.state();
        if (st.hasTree()) {
            g.stop(StopReason.RELOAD);
            return "stopping pid " + g.pid() + (s.replacement != null ? ", then starting it with the new settings" : "");
        }
        if (st == ProgramState.BACKOFF) {
            g.stop(StopReason.RELOAD);
        }
        return s.replacement != null ? "starting it with the new settings" : "it was not running";
    }

    /** Finishes what reloads began once the old trees are gone: replacements start, removed programs go. */
    private void finishReloads() {
        boolean changed = false;
        for (int i = 0; i < slots.size(); i++) {
            ProgramSlot s = slots.get(i);
            if (!s.pending() || s.guardian.state().hasTree() || s.guardian.state() == ProgramState.BACKOFF) {
                continue;
            }
            if (s.removing) {
                slots.remove(i--);
            } else {
                Program g = create(s.replacement);
                if (g == null) {
                    // The old guardian stays, stopped: what ran is still guarded, nothing half-built is.
                    s.replacement = null;
                    continue;
                }
                s.spec = s.replacement;
                s.replacement = null;
                s.guardian = g;
                startFirst(s);
            }
            changed = true;
        }
        if (changed) {
            guardians = guardiansOf(slots);
        }
    }

    /** A reload's new guardian, or null (with a warning) if it cannot be built: the loop goes on. */
    private Program create(ProgramSettings spec) {
        try {
            return factory.create(spec);
        } catch (RuntimeException e) {
            LOG.warn("setting up {} failed", spec.name(), e);
            events.emit(new Event(clock.epochMillis(), SELF, 0, EventKind.WARNING,
                    spec.name() + " could not be set up after the reload: " + e.getMessage(), Map.of()));
            return null;
        }
    }

    private ProgramSlot slot(String name) {
        for (ProgramSlot s : slots) {
            if (s.guardian.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private void note(Program g, String message) {
        events.emit(new Event(clock.epochMillis(), g.name(), g.run(), EventKind.ORDER, message, Map.of()));
    }

    private void noteSelf(String message) {
        events.emit(new Event(clock.epochMillis(), SELF, 0, EventKind.ORDER, message, Map.of()));
    }

    @Override
    public Snapshot latest() {
        return latest;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public EventSink events() {
        return events;
    }

    @Override
    public Program guardian() {
        return guardians.get(0);
    }

    @Override
    public List<Program> programs() {
        return guardians;
    }

    @Override
    public String selfName() {
        return configMode() ? SELF : guardian().name();
    }

    /** True when Sentinel's work is done (see the class comment). */
    boolean over() {
        for (ProgramSlot s : slots) {
            if (!s.guardian.isFinished() || s.pending()) {
                return false;
            }
        }
        return !configMode() || shutdown != null || !keepRunning;
    }

    int exitCode() {
        if (!configMode()) {
            return guardians.get(0).exitCode();
        }
        if (shutdown != null) {
            return 0;
        }
        for (ProgramSlot s : slots) {
            if (s.guardian.exitCode() != 0 && !s.guardian.endedByOrder()) {
                return 1;
            }
        }
        return 0;
    }

    private void waitForWork() {
        if (!commands.isEmpty()) {
            return;
        }
        long wake = Long.MAX_VALUE;
        for (int i = 0; i < slots.size(); i++) {
            wake = Math.min(wake, slots.get(i).guardian.nextWakeNanos());
        }
        long wait = wake - clock.nanos();
        wakeup.await(wake == Long.MAX_VALUE || wait > MAX_WAIT_NANOS ? MAX_WAIT_NANOS : wait);
    }

    private void runCommands() {
        Consumer<LoopContext> c;
        while ((c = commands.poll()) != null) {
            try {
                c.accept(this);
            } catch (RuntimeException e) {
                LOG.warn("a posted command failed", e);
            }
        }
    }

    private List<ProgramSnapshot> programSnapshots() {
        if (slots.size() == 1) {
            return List.of(slots.get(0).guardian.snapshot());
        }
        List<ProgramSnapshot> out = new ArrayList<>(slots.size());
        for (ProgramSlot s : slots) {
            out.add(s.guardian.snapshot());
        }
        return out;
    }

    private void publish() {
        Snapshot s = new Snapshot(++sequence, clock.epochMillis(), info, programSnapshots(), events.recent());
        latest = s;
        for (LoopExtension e : extensions) {
            try {
                e.afterTick(s);
            } catch (RuntimeException ex) {
                LOG.warn("{} failed after a tick", e, ex);
            }
        }
    }
}
