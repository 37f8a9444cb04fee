package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventSink;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reading the config file and applying what changed, program by program: a changed program is
 * stopped in tiers and started again with its new settings once its tree is gone, a removed one is
 * stopped and forgotten, a new one is started; the rest are left alone. The file is read off the
 * loop, one reload at a time, on a thread made at the first reload; the plan is applied on the loop.
 */
final class Reloads {

    private static final Logger LOG = LoggerFactory.getLogger(Reloads.class);
    private static final String SHUTTING_DOWN = "Sentinel is shutting down; nothing was reloaded";

    private final Fleet fleet;
    private final ProgramFactory factory;
    private final Reloader reloader;
    private final String file;
    private final Shutdown shutdown;
    private final EventSink events;
    private final Clock clock;
    private final String self;
    private final Consumer<Boolean> keepRunning;
    /** Starts a new or changed program: now, or WAITING for the programs it starts after. */
    private final Consumer<ProgramSlot> start;
    private LoopHandle loop;
    /** Reads the config file for a reload, one at a time, off the loop (created at the first reload). */
    private ExecutorService reading;

    Reloads(Fleet fleet, ProgramFactory factory, Reloader reloader, String file, Shutdown shutdown, EventSink events,
            Clock clock, String self, Consumer<Boolean> keepRunning, Consumer<ProgramSlot> start) {
        this.fleet = fleet;
        this.factory = factory;
        this.reloader = reloader;
        this.file = file;
        this.shutdown = shutdown;
        this.events = events;
        this.clock = clock;
        this.self = self;
        this.keepRunning = keepRunning;
        this.start = start;
    }

    /** Where a plan read off the loop is handed back to it. */
    void attach(LoopHandle handle) {
        this.loop = handle;
    }

    /** Reads the file on the loop and applies it. */
    ReloadOutcome now() {
        return shutdown.active() ? refused(List.of(SHUTTING_DOWN)) : carryOut(readPlan());
    }

    /** Reads the file off the loop; {@code done} runs on the loop once the plan is applied or refused. */
    void later(Consumer<ReloadOutcome> done) {
        if (shutdown.active() || loop == null) {
            done.accept(now());
            return;
        }
        if (reading == null) {
            reading = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sentinel-reload");
                t.setDaemon(true);
                return t;
            });
        }
        reading.execute(() -> {
            ReloadPlan plan = readPlan();
            // One reload at a time: the next file is compared with this one only once it is applied.
            CompletableFuture<Void> applied = new CompletableFuture<>();
            loop.post(ctx -> {
                try {
                    done.accept(shutdown.active() ? refused(List.of(SHUTTING_DOWN)) : carryOut(plan));
                } finally {
                    applied.complete(null);
                }
            });
            try {
                // No timeout: the loop always runs what is posted; when Sentinel ends, close() interrupts.
                applied.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                LOG.debug("applying a reload failed", e);
            }
        });
    }

    /** Finishes what reloads began once the old trees are gone: replacements start, removed programs go. */
    void finish() {
        boolean changed = false;
        List<ProgramSlot> slots = fleet.slots();
        for (int i = 0; i < slots.size(); i++) {
            ProgramSlot s = slots.get(i);
            ProgramState st = s.program.state();
            if (!s.pending() || st.hasTree() || st == ProgramState.BACKOFF) {
                continue;
            }
            if (s.removing) {
                slots.remove(i--);
            } else {
                Program p = create(s.replacement);
                if (p == null) {
                    // The old program stays, stopped: what ran is still guarded, nothing half-built is.
                    s.replacement = null;
                    continue;
                }
                s.settings = s.replacement;
                s.replacement = null;
                s.program = p;
                start.accept(s);
            }
            changed = true;
        }
        if (changed) {
            fleet.changed();
        }
    }

    void close() {
        if (reading != null) {
            reading.shutdownNow();
        }
    }

    private ReloadPlan readPlan() {
        try {
            return reloader.plan();
        } catch (RuntimeException e) {
            LOG.warn("reading the config file failed", e);
            return new ReloadPlan.Refused(List.of("reading " + file + " failed: " + e));
        }
    }

    private ReloadOutcome carryOut(ReloadPlan plan) {
        if (plan instanceof ReloadPlan.Refused r) {
            return refused(r.problems());
        }
        ReloadPlan.Apply apply = (ReloadPlan.Apply) plan;
        ReloadOutcome outcome = apply(apply);
        reloader.applied(apply);
        return outcome;
    }

    private ReloadOutcome refused(List<String> problems) {
        events.emit(new Event(clock.epochMillis(), self, 0, EventKind.RELOADED,
                "reload refused, nothing changed: " + String.join("; ", problems),
                Event.fields("applied", false, "changes", problems)));
        return new ReloadOutcome(false, problems);
    }

    private ReloadOutcome apply(ReloadPlan.Apply plan) {
        List<String> lines = new ArrayList<>();
        keepRunning.accept(plan.keepRunning());
        for (String name : plan.removed()) {
            ProgramSlot s = fleet.slot(name);
            if (s == null) {
                continue;
            }
            s.replacement = null;
            s.removing = true;
            lines.add(name + ": removed; " + stopFor(s));
        }
        for (ProgramSettings settings : plan.changed()) {
            ProgramSlot s = fleet.slot(settings.name());
            if (s == null) {
                continue;
            }
            if (!s.pending() && s.program.state().hasTree() && s.settings.retunableTo(settings)) {
                // Only its check or its order changed: the running tree keeps running.
                s.program.retune(settings, factory.links(settings));
                s.settings = settings;
                lines.add(settings.name() + ": changed its check or its start order; applied in place, pid "
                        + s.program.pid() + " keeps running");
                continue;
            }
            s.replacement = settings;
            lines.add(settings.name() + ": changed; " + stopFor(s));
        }
        for (ProgramSettings settings : plan.added()) {
            Program p = create(settings);
            if (p == null) {
                lines.add(settings.name() + ": added, but it could not be set up (see the warning); not started");
                continue;
            }
            ProgramSlot s = new ProgramSlot(settings, p);
            fleet.add(s);
            start.accept(s);
            lines.add(settings.name() + ": added; " + (settings.autostart()
                    ? (p.state().hasTree() ? "started" : p.waitingFor() != null ? "waiting for " + p.waitingFor()
                            : "could not start (" + p.state() + ")")
                    : "autostart = false: waits for 'start " + settings.name() + "'"));
        }
        for (String name : plan.unchanged()) {
            lines.add(name + ": unchanged");
        }
        lines.addAll(plan.notes());
        finish();
        fleet.changed();
        events.emit(new Event(clock.epochMillis(), self, 0, EventKind.RELOADED,
                "reloaded " + file + ": " + plan.added().size() + " added, " + plan.changed().size()
                        + " changed, " + plan.removed().size() + " removed, " + plan.unchanged().size() + " unchanged",
                Event.fields("applied", true, "changes", lines)));
        return new ReloadOutcome(true, lines);
    }

    /** Stops the slot's tree for a reload, or cancels its pending restart; says which. */
    private static String stopFor(ProgramSlot s) {
        Program p = s.program;
        ProgramState st = p.state();
        if (st.hasTree()) {
            p.onStop(StopReason.RELOAD);
            return "stopping pid " + p.pid() + (s.replacement != null ? ", then starting it with the new settings" : "");
        }
        if (st == ProgramState.BACKOFF) {
            p.onStop(StopReason.RELOAD);
        }
        return s.replacement != null ? "starting it with the new settings" : "it was not running";
    }

    /** A reload's new program, or null (with a warning) if it cannot be built: the loop goes on. */
    Program create(ProgramSettings settings) {
        try {
            return factory.create(settings);
        } catch (RuntimeException e) {
            LOG.warn("setting up {} failed", settings.name(), e);
            events.emit(new Event(clock.epochMillis(), self, 0, EventKind.WARNING,
                    settings.name() + " could not be set up after the reload: " + e.getMessage(), Map.of()));
            return null;
        }
    }
}
