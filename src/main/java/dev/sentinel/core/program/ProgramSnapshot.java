package dev.sentinel.core.program;

import dev.sentinel.platform.ProcessSample;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import java.time.Duration;
import java.util.List;

/**
 * Everything the outside world may know about one guarded program at one moment. Immutable;
 * the dashboard, the socket and the metrics read it without touching the loop. The accessors
 * below the components read through to them ({@code p.pid()} is {@code p.run().pid()}).
 *
 * @param settings the program's settings, whole, as the command line or the file gave them
 * @param limit the memory limit now: the settings' one until a {@code limit} order changes it
 * @param run the current (or last) run
 * @param ledger what its runs add up to
 * @param kernel where its tree lives and the kernel's limit on it
 * @param health whether it is ready, and what its check and its notify socket last said
 */
public record ProgramSnapshot(ProgramSettings settings, ProgramState state, MemoryLimit limit, Run run,
                              Ledger ledger, Kernel kernel, Health health) {

    /** A snapshot whose health follows from its state alone: ready while it runs (no check, no notify). */
    public ProgramSnapshot(ProgramSettings settings, ProgramState state, MemoryLimit limit, Run run, Ledger ledger,
                           Kernel kernel) {
        this(settings, state, limit, run, ledger, kernel, Health.of(state));
    }

    /**
     * @param ready whether the program is ready now (never without a tree, nor while it is stopped)
     * @param expected whether it should be running, so that not being ready counts: false once it
     *                 ended by an order, a clean exit nothing restarts, or before its autostart-less start
     * @param check {@code "passing"} or {@code "failing"}, or null with no check or no verdict yet this run
     * @param checkFailures how many checks failed in all (every run)
     * @param failuresInARow failures since the last pass
     * @param lastCheck what the last check said ({@code HTTP 200 in 3 ms}, {@code connection refused}), or null
     * @param notifyStatus the last {@code STATUS=} text its notify socket received, or null
     * @param readySinceEpochMillis when it became ready in this run, 0 when it is not
     * @param notReadyWhy why it is not ready, or null when it is
     */
    public record Health(boolean ready, boolean expected, String check, long checkFailures, int failuresInARow,
                         String lastCheck, String notifyStatus, long readySinceEpochMillis, String notReadyWhy) {

        public static final String PASSING = "passing";
        public static final String FAILING = "failing";

        /** A program with nothing to say but that it runs. */
        public static Health of(ProgramState state) {
            boolean up = state == ProgramState.RUNNING || state == ProgramState.STARTING;
            return new Health(up, state != ProgramState.EXITED, null, 0, 0, null, null, 0, up ? null : state.name());
        }
    }

    /**
     * The current run, or the last one once it is over.
     *
     * @param pid the main process, 0 before the first start
     * @param rssBytes the tree's RSS now (0 without a tree)
     * @param peakRssBytes the highest tree RSS of the run
     * @param processes the tree's processes now (none without a tree)
     * @param cpuSeconds CPU time of the tree in the run, exited processes included
     * @param startedEpochMillis when the run started, 0 before the first start
     * @param uptimeMillis how long it has been up (or was, once over)
     * @param exitStatus the main process's exit status once it has exited, or -1
     * @param growthBytesPerSecond recent growth of the tree's RSS (0 without a tree)
     */
    public record Run(long pid, long rssBytes, long peakRssBytes, List<ProcessSample> processes, double cpuSeconds,
                      long startedEpochMillis, long uptimeMillis, int exitStatus, double growthBytesPerSecond) {

        public static final Run NONE = new Run(0, 0, 0, List.of(), 0, 0, 0, -1, 0);

        public Run {
            processes = List.copyOf(processes);
        }
    }

    /**
     * What the program's runs add up to since Sentinel started.
     *
     * @param restarts how often the program was started again, automatically or by an order
     * @param lastStop why Sentinel last stopped the tree, or null
     * @param kills the signals Sentinel sent, by why it sent them
     * @param restart the restart policy's state: run number, streak, pending restart, counts by reason
     * @param history the last runs, oldest first, the current one last
     * @param samples how many samples have been taken (all runs)
     * @param sampleCostNanos how long the last sample took
     */
    public record Ledger(int restarts, StopReason lastStop, List<KillCount> kills, RestartStatus restart,
                         List<RunRecord> history, long samples, long sampleCostNanos) {

        public static final Ledger NONE = new Ledger(0, null, List.of(), RestartStatus.NONE, List.of(), 0, 0);

        public Ledger {
            kills = List.copyOf(kills);
            history = List.copyOf(history);
        }
    }

    /**
     * @param limitBytes the kernel's hard limit on the program's cgroup, -1 for none
     * @param containment where the tree lives: {@code "proc"} (no cgroup) or {@code "cgroup PATH…"}
     */
    public record Kernel(long limitBytes, String containment) {

        public static final Kernel PROC = new Kernel(-1, "proc");
    }

    public String name() {
        return settings.name();
    }

    public List<String> command() {
        return settings.command();
    }

    public Duration grace() {
        return settings.grace();
    }

    public long pid() {
        return run.pid();
    }

    public long rssBytes() {
        return run.rssBytes();
    }

    public long peakRssBytes() {
        return run.peakRssBytes();
    }

    public List<ProcessSample> processes() {
        return run.processes();
    }

    public double cpuSeconds() {
        return run.cpuSeconds();
    }

    public long startedEpochMillis() {
        return run.startedEpochMillis();
    }

    public long uptimeMillis() {
        return run.uptimeMillis();
    }

    public int exitStatus() {
        return run.exitStatus();
    }

    public double growthBytesPerSecond() {
        return run.growthBytesPerSecond();
    }

    public int restarts() {
        return ledger.restarts();
    }

    public StopReason lastStop() {
        return ledger.lastStop();
    }

    public List<KillCount> kills() {
        return ledger.kills();
    }

    public RestartStatus restart() {
        return ledger.restart();
    }

    public List<RunRecord> history() {
        return ledger.history();
    }

    public long samples() {
        return ledger.samples();
    }

    public long sampleCostNanos() {
        return ledger.sampleCostNanos();
    }

    public long kernelLimitBytes() {
        return kernel.limitBytes();
    }

    public String containment() {
        return kernel.containment();
    }

    /** Whether a tree of the program runs now (not before its start, in BACKOFF, or once it is over). */
    public boolean isUp() {
        return run.pid() != 0 && state.hasTree();
    }

    /** Percent of the limit in use, or NaN without a limit. */
    public double percentOfLimit() {
        return limit.isSet() ? 100.0 * run.rssBytes() / limit.bytes() : Double.NaN;
    }
}
