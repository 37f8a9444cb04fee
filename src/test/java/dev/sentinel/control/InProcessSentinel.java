package dev.sentinel.control;

import dev.sentinel.time.Clock;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventLog;
import dev.sentinel.core.program.Program;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.core.ProgramFactory;
import dev.sentinel.settings.OutputTarget;
import dev.sentinel.core.Reloader;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.core.RunInfo;
import dev.sentinel.core.program.SamplingPolicy;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.core.Supervisor;
import dev.sentinel.core.Wakeup;
import dev.sentinel.platform.CommandResolver;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Libc;
import dev.sentinel.platform.LibcSignaller;
import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.ProcTreeSampler;
import dev.sentinel.platform.SetsidLauncher;
import dev.sentinel.testing.Await;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real supervisor loop, guardians, sampler and control server, wired as SentinelRun wires
 * them but inside the test JVM, guarding real children: one called "child" ({@link Builder#guard}),
 * or several named ones ({@link Builder#guardEach}), as a single command or in config mode
 * ({@link Builder#config}). Starts in milliseconds instead of a JVM start, and lets tests shorten
 * the control timeouts.
 */
final class InProcessSentinel implements AutoCloseable {

    final ControlServer control;
    final Supervisor supervisor;
    final List<Event> events = Collections.synchronizedList(new ArrayList<>());
    private final List<String> output;
    private final Thread loop;
    private volatile int exit = Integer.MIN_VALUE;

    private InProcessSentinel(ControlServer control, Supervisor supervisor, List<String> output) {
        this.control = control;
        this.output = output;
        this.supervisor = supervisor;
        this.loop = new Thread(this::run, "test-supervisor-loop");
    }

    static Builder at(Path socket) {
        return new Builder(socket);
    }

    static final class Builder {
        private final Path socket;
        private ControlLimits limits = ControlLimits.DEFAULT.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));
        private Duration interval = Duration.ofMillis(50);
        private MemoryLimit limit = MemoryLimit.parse("1G");
        private int mode = 0600;
        private String group;
        private String configFile;
        private Reloader reloader;

        private Builder(Path socket) {
            this.socket = socket;
        }

        Builder limits(ControlLimits l) {
            this.limits = l;
            return this;
        }

        Builder interval(Duration d) {
            this.interval = d;
            return this;
        }

        Builder mode(int m, String g) {
            this.mode = m;
            this.group = g;
            return this;
        }

        /** Runs in config mode, as if from {@code file}; {@code reloader} answers its reloads. */
        Builder config(String file, Reloader r) {
            this.configFile = file;
            this.reloader = r;
            return this;
        }

        InProcessSentinel guard(String... command) throws Exception {
            Map<String, List<String>> one = new LinkedHashMap<>();
            one.put("child", List.of(command));
            return guardEach(one);
        }

        /** Guards each command under its name, in the map's order (several only in config mode). */
        InProcessSentinel guardEach(Map<String, List<String>> programs) throws Exception {
            if (configFile == null && programs.size() != 1) {
                throw new IllegalArgumentException("a single-command Sentinel guards one program");
            }
            Libc libc = new Libc();
            ControlServer control = ControlServer.bind(new ControlSettings(true, socket, true, mode, group), limits,
                    ProcFs.system().effectiveUid(), ProcessHandle.current().pid());
            Wakeup wakeup = new Wakeup();
            CommandResolver resolver = CommandResolver.fromEnvironment();
            EventLog log = new EventLog(200);
            List<String> output = Collections.synchronizedList(new ArrayList<>());
            SetsidLauncher launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), false);
            ProgramFactory guardians = spec -> new Program(spec, launcher,
                    new LaunchSpec(spec.command(), (stream, line) -> output.add(line)),
                    pid -> new ProcTreeSampler(ProcFs.system(), pid, libc.pageSize()), new LibcSignaller(libc),
                    SamplingPolicy.fixed(interval.toNanos()), Clock.system(), log, wakeup::wake);
            List<ProgramSettings> specs = new ArrayList<>();
            programs.forEach((name, command) -> specs.add((ProgramSettings.builder(name, command).limit(limit)
                    .grace(Duration.ofSeconds(1)).interval(interval).build()).toBuilder()
                    .priority(ProgramSettings.DEFAULT_PRIORITY).autostart(true).output(OutputTarget.PREFIX).build()));
            RunInfo info = new RunInfo("test", ProcessHandle.current().pid(), control.path().toString(), null, configFile);
            Supervisor supervisor = configFile == null
                    ? new Supervisor(wakeup, Clock.system(), info, guardians.create(specs.get(0)), log, List.of(control))
                    : Supervisor.forConfig(wakeup, Clock.system(), info, specs,
                            new Supervisor.ConfigMode(guardians, reloader, false), log, List.of(control));
            InProcessSentinel s = new InProcessSentinel(control, supervisor, output);
            log.addListener(s.events::add);
            s.loop.start();
            Await.until(Duration.ofSeconds(10), "every child to be sampled",
                    () -> s.supervisor.latest().programs().stream().allMatch(p -> p.samples() > 0));
            return s;
        }
    }

    /** The child's output lines so far. */
    List<String> childOutput() {
        synchronized (output) {
            return List.copyOf(output);
        }
    }

    Path socket() {
        return control.path();
    }

    long samples() {
        return supervisor.latest().programs().get(0).samples();
    }

    boolean running() {
        return loop.isAlive();
    }

    /** Waits for the loop to end and returns the exit status it returned. */
    int awaitExit(Duration timeout) throws InterruptedException {
        loop.join(timeout.toMillis());
        if (loop.isAlive()) {
            throw new AssertionError("the supervisor loop still runs after " + timeout);
        }
        return exit;
    }

    List<String> eventMessages() {
        synchronized (events) {
            return events.stream().map(Event::message).toList();
        }
    }

    private void run() {
        try {
            exit = supervisor.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        if (loop.isAlive()) {
            supervisor.post(ctx -> ctx.programs().forEach(g -> g.onKill(StopReason.KILL)));
            try {
                loop.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        control.close();
    }
}
