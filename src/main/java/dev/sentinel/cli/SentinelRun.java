package dev.sentinel.cli;

import dev.sentinel.core.Clock;
import dev.sentinel.core.EventLog;
import dev.sentinel.core.Guardian;
import dev.sentinel.core.GuardianConfig;
import dev.sentinel.core.RunInfo;
import dev.sentinel.core.SamplingPolicy;
import dev.sentinel.core.Supervisor;
import dev.sentinel.platform.CommandResolver;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Libc;
import dev.sentinel.platform.LibcSignaller;
import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.ProcTreeSampler;
import dev.sentinel.platform.SetsidLauncher;
import dev.sentinel.platform.SignalTrap;
import dev.sentinel.tui.HeadlessReporter;
import java.io.IOException;
import java.nio.channels.Selector;
import java.time.ZoneId;
import java.util.List;

/** Wires one guarded run from its configuration and runs it to the end. */
final class SentinelRun {

    private final GuardianConfig config;

    SentinelRun(GuardianConfig config) {
        this.config = config;
    }

    int run() {
        try (HeadlessReporter reporter = new HeadlessReporter(System.err, ZoneId.systemDefault())) {
            try {
                return guard(reporter);
            } catch (LaunchException e) {
                System.err.println("sentinel: " + e.getMessage());
                return e.exitCode();
            } catch (IOException e) {
                System.err.println("sentinel: cannot start the supervisor loop: " + e.getMessage());
                return 1;
            }
        }
    }

    private int guard(HeadlessReporter reporter) throws LaunchException, IOException {
        CommandResolver resolver = CommandResolver.fromEnvironment();
        SetsidLauncher launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), true);
        Libc libc = new Libc();
        long pageSize = libc.pageSize();
        Clock clock = Clock.system();
        EventLog events = new EventLog(200);
        events.addListener(reporter);
        try (Selector selector = Selector.open()) {
            Guardian guardian = new Guardian(config, launcher, LaunchSpec.passThrough(config.command()),
                    pid -> new ProcTreeSampler(ProcFs.system(), pid, pageSize), new LibcSignaller(libc),
                    SamplingPolicy.fixed(config.interval().toNanos()), clock, events, selector::wakeup);
            RunInfo info = new RunInfo(Version.get(), ProcessHandle.current().pid(), null, null);
            Supervisor supervisor = new Supervisor(selector, clock, info, guardian, events, List.of());
            SignalTrap.install(signal -> supervisor.post(loop -> supervisor.onSignal(signal)));
            return supervisor.run();
        }
    }
}
