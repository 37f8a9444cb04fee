package dev.sentinel.tui;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.core.program.RestartReason;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.RestartSettings;
import dev.sentinel.core.program.RestartStatus;
import dev.sentinel.core.RunInfo;
import dev.sentinel.core.program.RunRecord;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.platform.ProcessSample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Snapshots and frames with chosen values, for drawing tests. */
final class Fixtures {

    static final long MIB = 1024L * 1024L;
    static final long T0 = 1_790_000_000_000L;
    static final RunInfo INFO = new RunInfo("9.8.7", 4242, "/tmp/sentinel-test.socket", "127.0.0.1:9100");
    /** Config mode: the programs of a file. */
    static final RunInfo CONFIG_INFO = new RunInfo("9.8.7", 4242, "/tmp/sentinel-test.socket", "127.0.0.1:9100",
            "/etc/sentinel.toml");

    /** The program most drawings show: {@code app}, its settings at their defaults but the limit. */
    static final ProgramSettings APP = ProgramSettings.builder("app", List.of("python3", "app.py", "--port", "8080"))
            .build();

    private Fixtures() {
    }

    static ProcessSample process(long pid, long ppid, int depth, String command, long rssMib, long cpuTicks,
                                 int threads, long startTicks) {
        String name = command.split(" ")[0];
        return new ProcessSample(pid, ppid, 1000, depth, name, command, 'S', rssMib * MIB, cpuTicks, threads,
                startTicks);
    }

    /** A three-process tree: the main process, a child, and a grandchild. */
    static List<ProcessSample> tree() {
        return List.of(
                process(1000, 1, 0, "python3 app.py --port 8080", 40, 500, 4, 10_000),
                process(1001, 1000, 1, "worker --queue jobs", 15, 100, 2, 10_150),
                process(1002, 1001, 2, "sleep 100", 1, 0, 1, 10_300));
    }

    static ProgramSnapshot program(ProgramState state, long rssBytes, MemoryLimit limit, List<ProcessSample> ps) {
        return new ProgramSnapshot(APP.toBuilder().limit(limit).build(), state, limit,
                new ProgramSnapshot.Run(ps.isEmpty() ? 0 : ps.get(0).pid(), rssBytes, Math.max(rssBytes, 60 * MIB), ps,
                        12.5, T0 - 95_000, 95_000, state == ProgramState.EXITED ? 143 : -1, 5 * MIB / 60.0),
                new ProgramSnapshot.Ledger(0, null, List.of(), RestartStatus.NONE, List.of(), 400, 30_000),
                ProgramSnapshot.Kernel.PROC);
    }

    /** A running program with {@code rssMib} of a {@code limitMib} limit (0 = none) and the tree above. */
    static ProgramSnapshot running(long rssMib, long limitMib) {
        return program(ProgramState.RUNNING, rssMib * MIB, limitMib == 0 ? MemoryLimit.NONE
                : new MemoryLimit(limitMib * MIB), tree());
    }

    static ProgramSnapshot exited(StopReason why) {
        ProgramSnapshot p = program(ProgramState.EXITED, 0, new MemoryLimit(100 * MIB), List.of());
        return new ProgramSnapshot(p.settings(), p.state(), p.limit(),
                new ProgramSnapshot.Run(1000, 0, 101 * MIB, List.of(), p.cpuSeconds(), p.startedEpochMillis(),
                        p.uptimeMillis(), 143, 0),
                new ProgramSnapshot.Ledger(0, why, List.of(), RestartStatus.NONE, List.of(), 400, 0),
                ProgramSnapshot.Kernel.PROC);
    }

    /** A crash loop's settings: on-failure, 1 s doubling to 60 s, stable after 60 s, at most 10 restarts. */
    static final RestartSettings ON_FAILURE = new RestartSettings(RestartPolicy.ON_FAILURE, Duration.ofSeconds(1),
            Duration.ofSeconds(60), Duration.ofSeconds(60), 10);

    /**
     * Waiting to restart: run 3 was stopped for memory after 9.5 s (status 143), restart 3 of at
     * most 10 is due at {@code restartAt}.
     */
    static ProgramSnapshot backoff(long restartAt) {
        List<RunRecord> runs = List.of(
                new RunRecord(1, T0 - 30_000, 4_000, 50 * MIB, 3, null, false, false),
                new RunRecord(2, T0 - 24_000, 2_000, 40 * MIB, 3, null, false, false),
                new RunRecord(3, T0 - 19_500, 9_500, 101 * MIB, 143, StopReason.MEMORY, false, false));
        RestartStatus r = new RestartStatus(3, 3, 143, restartAt,
                Map.of(RestartReason.FAILURE, 1L, RestartReason.MEMORY, 1L));
        return withRestart(ProgramState.BACKOFF, 1200, 143, 2, r, runs);
    }

    /** Given up: the eleventh run exited with status 3 after 2 s, after 10 restarts in a row. */
    static ProgramSnapshot fatal() {
        List<RunRecord> runs = List.of(new RunRecord(11, T0 - 2_000, 2_000, 30 * MIB, 3, null, false, false));
        RestartStatus r = new RestartStatus(11, 11, 3, 0, Map.of(RestartReason.FAILURE, 10L));
        return withRestart(ProgramState.FATAL, 2000, 3, 10, r, runs);
    }

    /** A program without a tree (pid and exit status of its last run) with restart state and history, on-failure. */
    static ProgramSnapshot withRestart(ProgramState state, long pid, int exitStatus, int restarts, RestartStatus r,
                                       List<RunRecord> runs) {
        RunRecord lastRun = runs.get(runs.size() - 1);
        MemoryLimit limit = new MemoryLimit(100 * MIB);
        return new ProgramSnapshot(APP.toBuilder().limit(limit).restart(ON_FAILURE).build(), state, limit,
                new ProgramSnapshot.Run(pid, 0, lastRun.peakRssBytes(), List.of(), 1.5, lastRun.startedEpochMillis(),
                        lastRun.durationMillis(), exitStatus, 0),
                new ProgramSnapshot.Ledger(restarts, lastRun.stoppedBy(), List.of(), r, runs, 400, 30_000),
                ProgramSnapshot.Kernel.PROC);
    }

    /** {@code p} under another name (and main pid, if not 0; the tree keeps its pids). */
    static ProgramSnapshot renamed(ProgramSnapshot p, String name, long pid) {
        ProgramSnapshot.Run r = p.run();
        return new ProgramSnapshot(p.settings().toBuilder().name(name).build(), p.state(), p.limit(),
                new ProgramSnapshot.Run(pid == 0 ? r.pid() : pid, r.rssBytes(), r.peakRssBytes(), r.processes(),
                        r.cpuSeconds(), r.startedEpochMillis(), r.uptimeMillis(), r.exitStatus(),
                        r.growthBytesPerSecond()),
                p.ledger(), p.kernel());
    }

    /** Three programs of a config file: web running (56 of 100 MiB), worker in BACKOFF (due at {@code restartAt}), cron exited. */
    static List<ProgramSnapshot> threePrograms(long restartAt) {
        return List.of(renamed(running(56, 100), "web", 0), renamed(backoff(restartAt), "worker", 0),
                renamed(exited(StopReason.STOP), "cron", 0));
    }

    /** {@code n} running programs {@code p00}, {@code p01}, ..., each with its own main pid. */
    static List<ProgramSnapshot> manyPrograms(int n) {
        List<ProgramSnapshot> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(renamed(running(10 + i, 100), String.format(java.util.Locale.ROOT, "p%02d", i), 5000 + i));
        }
        return out;
    }

    /** A config-mode snapshot of {@code programs}. */
    static Snapshot configSnapshot(long sequence, List<ProgramSnapshot> programs, List<Event> events) {
        return new Snapshot(sequence, T0, CONFIG_INFO, programs, events);
    }

    /**
     * A config-mode frame of {@code programs} with {@code selected} selected (its tree shown if
     * {@code tree}); the chart and output are the given ones, as the selected program's.
     */
    static Frame manyFrame(List<ProgramSnapshot> programs, String selected, boolean tree, RssHistory history,
                           OutputView output, List<Event> events) {
        return new Frame(configSnapshot(7, programs, events), history, new CpuMeter(1000), events, output, 0, false,
                null, null, null, null, false, T0, new Selection(selected, tree, new TableScroll()));
    }

    static Snapshot snapshot(long sequence, ProgramSnapshot p, List<Event> events) {
        return new Snapshot(sequence, T0, INFO, List.of(p), events);
    }

    static Event event(long atMillis, EventKind kind, String message) {
        return event(atMillis, "app", kind, message);
    }

    static Event event(long atMillis, String program, EventKind kind, String message) {
        return new Event(atMillis, program, kind, message);
    }

    /** A leak's history: 20 MiB growing 1 MiB per second for {@code seconds}, ending at T0. */
    static RssHistory staircase(int seconds) {
        RssHistory h = new RssHistory(1000, 500);
        for (int s = 0; s <= seconds; s++) {
            h.record(T0 - (seconds - s) * 1000L, (20 + s) * MIB);
        }
        return h;
    }

    static Frame frame(ProgramSnapshot p, RssHistory history, OutputBuffer output, List<Event> events) {
        CpuMeter cpu = new CpuMeter(1000);
        cpu.record(p.processes(), T0 - 1000);
        List<ProcessSample> later = new ArrayList<>();
        for (ProcessSample s : p.processes()) {
            // 25 ticks more per second: 25 % of a core
            later.add(new ProcessSample(s.pid(), s.ppid(), s.pgid(), s.depth(), s.name(), s.command(), s.state(),
                    s.rssBytes(), s.cpuTicks() + 25, s.threads(), s.startTicks()));
        }
        cpu.record(later, T0);
        return new Frame(snapshot(7, p, events), history, cpu, events, output, 0, false, null, null, null, null,
                false, T0);
    }

    static Frame frame(ProgramSnapshot p) {
        return frame(p, staircase(60), new OutputBuffer(100), List.of());
    }

    /** {@code f} drawn at another time of the dashboard's clock, nothing else changed. */
    static Frame at(Frame f, long nowMillis) {
        return new Frame(f.snapshot(), f.history(), f.cpu(), f.events(), f.output(), f.outputScroll(), f.help(),
                f.prompt(), f.status(), f.finalReason(), f.finalHint(), f.quitting(), nowMillis, f.selection());
    }

    /** {@code f} with the help, a question, a reply, or the final reason and hint. */
    static Frame withUi(Frame f, boolean help, String prompt, String status, String reason, String hint) {
        return new Frame(f.snapshot(), f.history(), f.cpu(), f.events(), f.output(), f.outputScroll(), help, prompt,
                status, reason, hint, f.quitting(), f.nowMillis(), f.selection());
    }
}
