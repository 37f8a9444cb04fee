package dev.sentinel.cli;

import dev.sentinel.control.ControlException;
import dev.sentinel.control.ControlServer;
import dev.sentinel.core.program.AdaptiveSampling;
import dev.sentinel.time.Clock;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventJson;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventLog;
import dev.sentinel.events.Journal;
import dev.sentinel.core.program.Program;
import dev.sentinel.settings.Measure;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.core.ProgramFactory;
import dev.sentinel.core.Reloader;
import dev.sentinel.core.LoopExtension;
import dev.sentinel.core.RunInfo;
import dev.sentinel.core.program.SamplingPolicy;
import dev.sentinel.core.ConfigFile;
import dev.sentinel.core.Supervisor;
import dev.sentinel.core.ContainerGuard;
import dev.sentinel.text.ByteSize;
import dev.sentinel.time.TimeOfDay;
import dev.sentinel.time.UtcOffset;
import dev.sentinel.core.Wakeup;
import dev.sentinel.core.program.WarmStart;
import dev.sentinel.metrics.MetricsExporter;
import dev.sentinel.platform.AttachLauncher;
import dev.sentinel.platform.CommandResolver;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.core.program.HealthLinks;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Libc;
import dev.sentinel.platform.LibcSignaller;
import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.Samplers;
import dev.sentinel.platform.SetsidLauncher;
import dev.sentinel.platform.SignalTrap;
import dev.sentinel.platform.KernelNotifier;
import dev.sentinel.platform.Subreaper;
import dev.sentinel.platform.cgroup.CgroupException;
import dev.sentinel.platform.cgroup.CgroupMode;
import dev.sentinel.platform.cgroup.ContainerMemory;
import dev.sentinel.platform.cgroup.Containment;
import dev.sentinel.platform.cgroup.ProgramCgroup;
import dev.sentinel.core.OrphanKeeper;
import dev.sentinel.tui.Dashboard;
import dev.sentinel.tui.HeadlessReporter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/** Wires one guarded run from its settings and runs it to the end. */
final class SentinelRun {

    /** The fastest sampling when a leak is about to cross the limit. */
    private static final long MIN_SAMPLE_NANOS = 1_000_000L;
    /**
     * Quick samples at start, to compile the tick path (see {@link WarmStart}): 300 took the first
     * minute's idle CPU down by a quarter, side by side, without raising the total since start.
     */
    private static final int WARM_SAMPLES = 300;

    /** Events kept in memory for the snapshot (the dashboard, {@code events N} over the socket). */
    static final int EVENTS_KEPT = 200;

    private final Settings settings;
    /** The programs as fitted to the container ({@link ContainerFit}), set when the run begins. */
    private List<ProgramSettings> programs;
    /** Re-reads the config file (config mode), or null. */
    private final Reloader reloader;
    /** The tree attached to instead of a program started, or null. */
    private final AttachLauncher attach;

    SentinelRun(Settings settings) {
        this(settings, null);
    }

    SentinelRun(Settings settings, Reloader reloader) {
        this(settings, reloader, null);
    }

    /** @param attach the process to guard in place of starting the program ({@code sentinel attach}), or null */
    SentinelRun(Settings settings, Reloader reloader, AttachLauncher attach) {
        this.settings = settings;
        this.reloader = reloader;
        this.attach = attach;
    }

    int run() {
        // Loading JNA, junixsocket's native library and the metrics server are independent and each
        // costs tens of milliseconds: on two cores, doing them side by side shortens start-up.
        CompletableFuture<Libc> libcLoading = CompletableFuture.supplyAsync(Libc::new, SentinelRun::startupThread);
        UtcOffset zone = localOffset(libcLoading);
        try (HeadlessReporter reporter = new HeadlessReporter(System.err, TimeOfDay.of(zone)).start()) {
            try {
                return guard(reporter, libcLoading, zone);
            } catch (LaunchException e) {
                System.err.println("sentinel: " + e.getMessage());
                return e.exitCode();
            } catch (ControlException e) {
                System.err.println("sentinel: " + e.getMessage());
                return 2;
            } catch (IOException e) {
                System.err.println("sentinel: cannot start the supervisor loop: " + e.getMessage());
                return 1;
            }
        }
    }

    private static void startupThread(Runnable task) {
        Thread t = new Thread(task, "sentinel-startup");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The local zone's offset, by libc; by the JDK's zone rules only if libc cannot tell (see
     * {@link UtcOffset}). (Events reach the reporter and the journal once the guardian runs, by which
     * time libc has long been loaded.)
     */
    private static UtcOffset localOffset(CompletableFuture<Libc> libcLoading) {
        return epochSecond -> {
            int offset = libcLoading.isCompletedExceptionally() ? Integer.MIN_VALUE
                    : libcLoading.join().utcOffsetSeconds(epochSecond);
            return offset != Integer.MIN_VALUE ? offset : UtcOffset.in(ZoneId.systemDefault()).secondsAt(epochSecond);
        };
    }

    private int guard(HeadlessReporter reporter, CompletableFuture<Libc> libcLoading, UtcOffset zone)
            throws LaunchException, IOException, ControlException {
        CommandResolver resolver = CommandResolver.fromEnvironment();
        SetsidLauncher launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), true);
        if (!settings.configMode() && attach == null) {
            // One command that cannot run is a usage error before anything starts; in config mode it
            // is that program's failure (FATAL, 127/126) and the others run.
            resolver.resolve(settings.program().command().get(0));
        }
        // Closed last, once the programs, the hooks and the cgroups are gone: the lifeline shell ends
        // and is reaped before Sentinel exits (left running, it outlived Sentinel in the caller's
        // process group, and its JDK reaper thread, in native code, held the JVM's exit up 300 ms).
        // The container's limit is read before Sentinel moves into a cgroup of its own: percentages
        // become bytes of it, and a limit that reaches it is refused before anything starts.
        // An attached tree runs in a container of its own (a sidecar's app): Sentinel's own container's
        // limit is not its (fitting to it would refuse a sidecar's every limit); only a limit given
        // with --container-limit (the app's, from the downward API) is.
        ContainerMemory container = attach != null && settings.containerLimit() <= 0 ? ContainerMemory.none()
                : ContainerMemory.of(settings.containerLimit());
        ContainerFit fit = new ContainerFit(container, container.ownShare(ContainerFit.ownResidentBytes()));
        ContainerFit.Fitted fitted = fit.fit(settings.programs());
        if (!fitted.problems().isEmpty()) {
            throw new LaunchException(String.join("\nsentinel: ", fitted.problems()), 2);
        }
        programs = fitted.programs();
        try (launcher; container) {
            Containment containment = detectContainment();
            try {
                if (containment.selfLeaf() != null) {
                    launcher.removeLeafOnDeath(containment.selfLeaf().leaf(), containment.selfLeaf().undo());
                }
                MemoryMeasures measures = MemoryMeasures.of(ProcFs.system(), containment);
                List<String> unmeasurable = measures.problems(programs);
                if (!unmeasurable.isEmpty()) {
                    throw new LaunchException(String.join("\nsentinel: ", unmeasurable), 2);
                }
                return guard(reporter, libcLoading, zone, resolver, launcher, containment, container, fit,
                        fitted.notes(), measures);
            } finally {
                containment.close();
                if (containment.leftBehind() != null) {
                    reporter.note("left a cgroup behind: " + containment.leftBehind());
                }
            }
        }
    }

    /** The programs' cgroups; with {@code --cgroup require} and none to be had, a usage error (exit 2). */
    private Containment detectContainment() throws LaunchException {
        try {
            return Containment.detect(settings.cgroup());
        } catch (CgroupException e) {
            throw new LaunchException("--cgroup require: " + e.getMessage(), 2);
        }
    }

    private int guard(HeadlessReporter reporter, CompletableFuture<Libc> libcLoading, UtcOffset zone,
                      CommandResolver resolver, SetsidLauncher launcher, Containment containment,
                      ContainerMemory container, ContainerFit fit, List<String> fitNotes, MemoryMeasures measures)
            throws LaunchException, IOException, ControlException {
        ProcFs proc = ProcFs.system();
        // Orphans of the guarded trees come back to Sentinel (and are reaped by it), not to PID 1.
        // Both bind libc through JNA: beside the other start-up work, not before it (joined before
        // any program starts).
        CompletableFuture<Subreaper> subreaping = CompletableFuture.supplyAsync(() -> Subreaper.enable(proc),
                SentinelRun::startupThread);
        CompletableFuture<KernelNotifier> notifying = containment.active()
                ? CompletableFuture.supplyAsync(KernelNotifier::start, SentinelRun::startupThread)
                : CompletableFuture.completedFuture(null);
        // By program name: a reload that changes a program ends its old confinement's notifications.
        Map<String, CgroupConfinement> confinements = new HashMap<>();
        CompletableFuture<MetricsExporter> metricsStarting = settings.metrics().enabled()
                ? CompletableFuture.supplyAsync(() -> MetricsExporter.start(settings.metrics(), reporter::note),
                        SentinelRun::startupThread)
                : CompletableFuture.completedFuture(null);
        Clock clock = Clock.system();
        EventLog events = new EventLog(EVENTS_KEPT);
        EventJson eventJson = new EventJson(zone);
        List<LoopExtension> extensions = new ArrayList<>();
        AtomicReference<Supervisor> running = new AtomicReference<>();

        ControlServer control = null;
        MetricsExporter metrics = null;
        Dashboard dashboard = null;
        Journal journal = null;
        ProgramOutputs outputs = null;
        HookRunner hooks = null;
        ProgramHealth health = null;
        AttachWait waiting = null;
        String self = settings.configMode() ? ConfigFile.SELF : settings.program().name();
        try {
            if (settings.journal() != null) {
                journal = openJournal(settings.journal(), eventJson, self, running);
                events.addListener(journal);
            }
            control = settings.control().enabled() ? ControlServer.bind(settings.control(), eventJson) : null;
            if (control != null) {
                extensions.add(control);
            }
            metrics = metricsStarting.join();
            if (metrics != null) {
                extensions.add(metrics);
            }
            Libc libc = libcLoading.join();
            Subreaper subreaper = subreaping.join();
            KernelNotifier notifier = notifying.join();
            long pageSize = libc.pageSize();
            if (settings.ui().mode().dashboard(libc.isTerminal(1))) {
                dashboard = new Dashboard(settings.ui());
                extensions.add(dashboard);
                events.addListener(dashboard);
            } else {
                events.addListener(reporter);
            }
            outputs = new ProgramOutputs(settings.configMode(), dashboard, programs, warning -> {
                Supervisor s = running.get();
                if (s != null) {
                    s.post(ctx -> ctx.events().emit(new Event(ctx.clock().epochMillis(), ctx.selfName(),
                            EventKind.WARNING, warning)));
                } else {
                    reporter.note(warning);
                }
            });
            outputs.openAll(programs);
            Wakeup wakeup = new Wakeup();
            LibcSignaller signaller = new LibcSignaller(libc);
            ProgramOutputs routing = outputs;
            if (!containment.active() && settings.cgroup() != CgroupMode.OFF) {
                selfNote(events, self, containment.describe());
            }
            // For an attached tree only a given limit is here (see above): its trees are what it weighs.
            if (container.limitBytes() > 0) {
                ContainerGuard guard = new ContainerGuard(container.limitBytes(), container::usageBytes,
                        () -> container.ownShare(ContainerFit.ownResidentBytes()));
                extensions.add(guard);
                selfNote(events, self, container.describe() + ": the largest tree gets SIGKILL when the "
                        + (container.given() ? "trees together near " : "container nears ")
                        + ByteSize.format(guard.nearBytes()) + " (" + Math.round(ContainerGuard.NEAR * 100)
                        + " %), before the kernel kills it whole");
            }
            for (String note : fitNotes) {
                selfNote(events, self, note);
            }
            if (!subreaper.enabled()) {
                selfNote(events, self, "not a subreaper (" + subreaper.unavailableWhy() + "): a daemon that "
                        + "double-forks away from its program's tree is not counted, and its zombie is PID 1's");
            } else {
                extensions.add(new OrphanKeeper(new SubreaperAdoptions(subreaper, launcher, proc)));
            }
            ProgramsCpu programsCpu = containment.active()
                    ? new ProgramsCpu(containment::programsCpuMicros, System::nanoTime) : null;
            Dashboard screen = dashboard;
            AtomicBoolean loopEnded = new AtomicBoolean();
            hooks = new HookRunner(launcher, signaller, eventJson,
                    name -> screen != null ? (settings.configMode() ? screen.outputSink(name) : screen.outputSink())
                            : (stream, text) -> reporter.note(text),
                    (name, warning) -> {
                        Supervisor s = running.get();
                        if (s != null && !loopEnded.get()) {
                            s.post(ctx -> ctx.events().emit(new Event(ctx.clock().epochMillis(), name,
                                    EventKind.WARNING, warning)));
                        } else {
                            reporter.emit(new Event(clock.epochMillis(), name, EventKind.WARNING, warning));
                        }
                    });
            events.addListener(hooks);
            if (metrics != null) {
                metrics.exportHooks(hooks);
            }
            HookRunner hookRunner = hooks;
            health = new ProgramHealth(launcher, signaller, ProcessHandle.current().pid(),
                    (name, warning) -> selfNote(events, name, warning));
            ProgramHealth checks = health;
            ProgramFactory guardians = new ProgramFactory() {
                @Override
                public HealthLinks links(ProgramSettings spec) {
                    return checks.wire(spec, null).links();
                }

                @Override
                public Program create(ProgramSettings written) {
                    // A reload's program is fitted here (those of the start are already: this changes nothing).
                    List<String> notes = new ArrayList<>();
                    ProgramSettings spec = attach != null ? written : fit.one(written, notes, notes);
                    notes.forEach(note -> selfNote(events, spec.name(), note));
                    hookRunner.configure(spec);
                    CgroupConfinement confinement = null;
                    ProgramCgroup cgroup = null;
                    if (containment.active()) {
                        try {
                            cgroup = containment.create(spec.name());
                            confinement = new CgroupConfinement(cgroup, notifier, wakeup::wake, signaller,
                                    warning -> selfNote(events, spec.name(), warning));
                            CgroupConfinement old = confinements.put(spec.name(), confinement);
                            if (old != null) {
                                old.close();
                            }
                        } catch (CgroupException e) {
                            selfNote(events, spec.name(), "no cgroup for " + spec.name() + ": " + e.getMessage()
                                    + "; its tree is followed by /proc alone");
                            cgroup = null;
                        }
                    }
                    LaunchSpec launch = routing.launchSpec(spec);
                    if (cgroup != null) {
                        launch = launch.inCgroup(cgroup.procsFiles());
                    }
                    ProgramCgroup members = cgroup;
                    ProgramHealth.Wired wired = checks.wire(spec, launch);
                    if (cgroup == null && spec.measure() == Measure.CGROUP) {
                        selfNote(events, spec.name(), "measure cgroup without a cgroup: " + spec.name()
                                + " is measured by its tree's RSS");
                    }
                    Program program = new Program(spec, attach != null ? attach : launcher, wired.launch(),
                            measures.samplers(spec, Samplers.best(proc, pageSize, members == null ? null : members::pids,
                                    members == null ? null : programsCpu), cgroup),
                            signaller, sampling(spec), clock, events, wakeup::wake, Math::random, confinement,
                            wired.links());
                    // In attach mode only a given limit is known (null otherwise: nothing said).
                    program.describeContainer(container.describe());
                    return program;
                }
            };
            RunInfo info = new RunInfo(Version.get(), ProcessHandle.current().pid(),
                    control == null ? null : control.path().toString(),
                    metrics == null ? null : metrics.address(),
                    settings.configMode() ? settings.config().file().toString() : null);
            Program single = settings.configMode() ? null : guardians.create(programs.get(0));
            if (attach != null && attach.target() == null) {
                single.hold(AttachWait.waitingFor(attach.pattern().pattern()));
            }
            Supervisor supervisor = settings.configMode()
                    ? Supervisor.forConfig(wakeup, clock, info, programs,
                            new Supervisor.ConfigMode(guardians, measures.checking(reloader),
                                    settings.config().sentinel().keepRunning()),
                            settings.shutdownTimeout(), events, extensions)
                    : new Supervisor(wakeup, clock, info, single,
                            settings.shutdownTimeout(), events, extensions);
            running.set(supervisor);
            // Stamped on arrival: two deliveries of one request are told apart from two requests by
            // when they came, not by when the loop got round to them.
            SignalTrap.install(signal -> {
                long at = clock.nanos();
                supervisor.post(loop -> supervisor.onSignal(signal, at));
            });
            if (dashboard != null) {
                dashboard.start(supervisor);
            }
            if (single != null && single.waitingFor() != null) {
                waiting = AttachWait.start(attach, attach.pattern().pattern(), supervisor, single);
            }
            int status = supervisor.run();
            loopEnded.set(true);
            // The hooks of the last events (the exited event of a memory stop) run before Sentinel exits.
            hooks.finish();
            return status;
        } finally {
            if (metrics == null) {
                // A failure before the join: the server may still come up; shut it when it does.
                metricsStarting.thenAccept(m -> {
                    if (m != null) {
                        m.close();
                    }
                });
            }
            if (waiting != null) {
                waiting.close();
            }
            // The supervisor closes extensions on its way out; these cover failures before it ran.
            if (dashboard != null) {
                dashboard.close();
            }
            if (metrics != null) {
                metrics.close();
            }
            if (control != null) {
                control.close();
            }
            if (journal != null) {
                journal.close();
            }
            if (outputs != null) {
                outputs.close();
            }
            confinements.values().forEach(CgroupConfinement::close);
            if (health != null) {
                health.close();
            }
            if (hooks != null) {
                hooks.close();
            }
            // Closed however the run ended, even if it ended before the notifier was up.
            notifying.thenAccept(n -> {
                if (n != null) {
                    n.close();
                }
            });
        }
    }

    /** A line about Sentinel itself (or one program's set-up) in the journal, the dashboard and the log lines. */
    private static void selfNote(EventLog events, String name, String message) {
        events.emit(new Event(System.currentTimeMillis(), name, EventKind.WARNING, message));
    }

    private static SamplingPolicy sampling(ProgramSettings config) {
        return new WarmStart(new AdaptiveSampling(config.interval().toNanos(), MIN_SAMPLE_NANOS), WARM_SAMPLES,
                MIN_SAMPLE_NANOS);
    }

    /** Opens the journal before anything starts, so a path that cannot be written is a usage error (exit 2). */
    private static Journal openJournal(Path path, EventJson json, String name, AtomicReference<Supervisor> loop)
            throws LaunchException {
        try {
            return Journal.open(path, json, warning -> {
                Supervisor s = loop.get();
                if (s != null) {
                    s.post(ctx -> ctx.events().emit(new Event(ctx.clock().epochMillis(), name, EventKind.WARNING,
                            warning)));
                }
            });
        } catch (IOException e) {
            throw new LaunchException("cannot open the journal " + path + " for appending: " + e.getMessage() + ".",
                    2);
        }
    }
}
