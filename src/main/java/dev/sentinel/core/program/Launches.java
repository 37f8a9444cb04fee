package dev.sentinel.core.program;

import dev.sentinel.events.EventSink;
import dev.sentinel.platform.Child;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.ProcessLauncher;
import dev.sentinel.platform.Sampler;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.time.Clock;

/**
 * Starting a program's runs: the launch (with the kernel's limits set on its cgroup before the
 * first one), the new {@link Run} with its sampler, its record and its started event; or, for a
 * command that cannot be run, the run that never started. What follows (the state, the first
 * sample) is the {@link Program}'s. Loop thread only.
 */
final class Launches {

    private final ProcessLauncher launcher;
    private final LaunchSpec spec;
    private final Sampler.Factory samplers;
    private final Clock clock;
    private final EventSink events;
    private final Runnable wakeup;
    private final Wording words;
    /** The container Sentinel runs in, for the started line ({@code container memory limit 300 MiB (...)}), or null. */
    String container;
    private final RunLedger ledger;
    private final Backstop backstop;
    private final GrowthRate growth = new GrowthRate(10_000_000_000L, 64);
    private final boolean tolerating;

    Launches(ProcessLauncher launcher, LaunchSpec spec, Sampler.Factory samplers, Clock clock, EventSink events,
             Runnable wakeup, Wording words, RunLedger ledger, Backstop backstop, boolean tolerating) {
        this.launcher = launcher;
        this.spec = spec;
        this.samplers = samplers;
        this.clock = clock;
        this.events = events;
        this.wakeup = wakeup;
        this.words = words;
        this.ledger = ledger;
        this.backstop = backstop;
        this.tolerating = tolerating;
    }

    /**
     * Launches the run after {@code last}, limited to {@code limit}. The run counts from just
     * before the launch: never shorter than the program lived (a busy machine can take
     * milliseconds to return from a fork).
     *
     * @param reason why it starts again, or null for the first run
     */
    Run launch(Run last, RestartReason reason, MemoryLimit limit) throws LaunchException {
        if (backstop.needsLimits()) {
            applyKernelLimits(last.number, limit);
        }
        // Counted before the launch: a program can reach the kernel's limit before this thread
        // gets to look, and that kill is this run's.
        long oomKillsBefore = backstop.oomKills();
        long launchedAt = clock.nanos();
        Child c = launcher.launch(spec);
        growth.reset();
        Run run = new Run(last.number + 1, c, samplers.open(c.pid()), launchedAt, clock.epochMillis(), c.pid(),
                growth);
        run.oomKillsBefore = oomKillsBefore;
        c.onExit(wakeup);
        ledger.record(RunRecord.running(run.number, run.startedEpochMillis));
        events.emit(words.started(clock.epochMillis(), run.number, c.pid(), reason, ledger.restarts(), limit,
                backstop, container, c.attached() ? attachedNote(c) : null));
        return run;
    }

    /** What differs for a tree Sentinel attached to, for its started line. */
    private static String attachedNote(Child c) {
        return "not its parent: no restart, its exit status unknown (0); no cgroup: a running tree cannot be moved "
                + "into one safely; signals to " + (c.groupIsTree() ? "its process group " + c.pgid()
                        : "each process of the tree (its process group holds others)");
    }

    /** Whether an order may start the program ({@link ProcessLauncher#ordersStart()}). */
    boolean ordersStart() {
        return launcher.ordersStart();
    }

    /** The run after {@code last} that never started: its record (exit 126/127) and its start-failed event. */
    Run failed(Run last, LaunchException e, boolean again) {
        Run run = Run.failed(last.number + 1, clock.nanos(), clock.epochMillis(), last.pid, e.exitCode());
        ledger.exited(run.mainExit);
        ledger.record(new RunRecord(run.number, run.startedEpochMillis, 0, 0, run.mainExit, null, false, true));
        events.emit(words.startFailed(clock.epochMillis(), run.number, again, e.getMessage(), run.mainExit));
        return run;
    }

    /** Sets the kernel's limits for {@code limit}; a refusal is a warning, guarding goes on without them. */
    void applyKernelLimits(int runNumber, MemoryLimit limit) {
        String refused = backstop.applyLimits(limit, tolerating);
        if (refused != null) {
            events.emit(words.noKernelLimit(clock.epochMillis(), runNumber, refused));
        }
    }
}
