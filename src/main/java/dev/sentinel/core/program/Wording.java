package dev.sentinel.core.program;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.platform.ProcessSample;
import dev.sentinel.platform.Signal;
import dev.sentinel.settings.CheckSettings;
import dev.sentinel.settings.Measure;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.Readiness;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.text.ByteSize;
import dev.sentinel.text.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Every sentence a {@link Program} says: its events (the lifecycle lines, the journal's messages
 * and fields) and its answers to orders. All of the machine's English is here, so a change of tone
 * or a translation touches this file alone. The fields' names are a contract (the journal's); the
 * sentences are for people.
 */
final class Wording {

    /** How many of the biggest processes a limit-crossed event names. */
    static final int TOP_PROCESSES = 5;

    private final ProgramSettings settings;
    private final String name;

    Wording(ProgramSettings settings) {
        this.settings = settings;
        this.name = settings.name();
    }

    // ---- events

    Event ready(long at, int run, Readiness how, long afterNanos, boolean first) {
        Duration after = Duration.ofMillis(afterNanos / 1_000_000);
        String because = switch (how) {
            case STARTED -> "it runs and its check does not fail";
            case CHECK -> "its check passes";
            case NOTIFY -> "it sent READY=1";
        };
        return event(at, run, EventKind.READY, (first ? "ready " : "ready again ") + Durations.format(after)
                + " after its start: " + because, Event.fields("readiness", how.word(), "after_seconds",
                seconds(after)));
    }

    Event notReady(long at, int run, String why) {
        return event(at, run, EventKind.NOT_READY, "not ready: " + why, Event.fields("why", why));
    }

    Event checkPassed(long at, int run, CheckSettings check, String detail, boolean again) {
        return event(at, run, EventKind.CHECK_PASSED, (again ? "check passes again: " : "check passes: ")
                + check.describe() + " (" + detail + ")", Event.fields("check", check.describe(), "detail", detail));
    }

    Event checkFailed(long at, int run, CheckSettings check, String error, int failures, String action) {
        String then = switch (action) {
            case "restart" -> "; restarting it";
            case "stop" -> "; stopping it for good (on_failure = \"stop\")";
            case "not-ready" -> "; not ready until it passes (level = \"ready\")";
            default -> "; left running (on_failure = \"ignore\")";
        };
        return event(at, run, EventKind.CHECK_FAILED, "check failed " + failures + " times in a row: "
                + check.describe() + " (" + error + ")" + then, Event.fields("check", check.describe(), "error",
                error, "failures", failures, "action", action));
    }

    Event notifyStranger(long at, int run, long pid) {
        return event(at, run, EventKind.WARNING, "ignored a notify datagram from pid " + pid + ", which is not "
                + "of this program's tree (said once)", Event.fields("pid", pid));
    }

    String checkFailedWhy(int failures, String error) {
        return "its check failed " + failures + " times in a row (" + error + ")";
    }

    String watchdogWhy(Duration watchdog) {
        return "no WATCHDOG=1 for " + Durations.format(watchdog);
    }

    String readyTimeoutWhy(Duration timeout) {
        return "not ready within " + Durations.format(timeout);
    }

    Event started(long at, int run, long pid, RestartReason reason, int restarts, MemoryLimit limit,
                  Backstop backstop, String container) {
        return started(at, run, pid, reason, restarts, limit, backstop, container, null);
    }

    /** @param attached what differs for a process Sentinel attached to rather than started, or null */
    Event started(long at, int run, long pid, RestartReason reason, int restarts, MemoryLimit limit,
                  Backstop backstop, String container, String attached) {
        long kernel = backstop.limitBytes();
        // RSS, the default, goes unsaid: the line stays as it always was.
        String measure = settings.measure() == Measure.RSS ? "" : " of " + settings.measure().amount();
        String setup = "limit " + limit.describe() + measure + ", grace " + Durations.format(settings.grace())
                + (!backstop.present() ? "; /proc only" : "; " + backstop.describe() + (kernel > 0
                        ? ", kernel limit " + ByteSize.format(kernel) : ", no kernel limit"))
                + (container == null ? "" : "; " + container);
        String message = attached != null ? "attached to pid " + pid + " (" + setup + "; " + attached + ")"
                : reason == null ? "started pid " + pid + " (" + setup + ")"
                : "started pid " + pid + " (run " + run + ", restart " + restarts + " after " + cause(reason) + "; "
                        + setup + ")";
        java.util.Map<String, Object> fields = Event.fields("pid", pid, "limit_bytes", bytesOrNull(limit),
                "grace_seconds", seconds(settings.grace()), "restart_reason", reason == null ? null : reason.label(),
                "command", settings.command(), "containment", backstop.describe(),
                "kernel_limit_bytes", kernel > 0 ? kernel : null, "measure", settings.measure().word());
        if (attached != null) {
            fields.put("attached", true);
        }
        return event(at, run, EventKind.STARTED, message, fields);
    }

    Event startFailed(long at, int run, boolean again, String error, int exitStatus) {
        String what = again ? "could not start the program again (run " + run + "): " : "could not start the program: ";
        return event(at, run, EventKind.START_FAILED, what + error, Event.fields("exit_status", exitStatus,
                "error", error));
    }

    Event cannotRun(long at, int run, int exitStatus) {
        return event(at, run, EventKind.GAVE_UP, "gave up at once: the command cannot be run ("
                + describeExit(exitStatus) + "); 'start " + name + "' tries again", Event.fields("restarts", 0,
                "exit_status", exitStatus, "stable_after_seconds", seconds(settings.restart().stableAfter())));
    }

    Event limitCrossed(long at, int run, long pid, Run r, MemoryLimit limit) {
        List<ProcessSample> top = biggest(r.last.processes(), TOP_PROCESSES);
        int count = r.last.count();
        StringBuilder m = new StringBuilder("limit crossed: ").append(settings.measure().noun()).append(' ').append(ByteSize.format(r.last.rssBytes()))
                .append(" > limit ").append(limit).append(" (").append(processes(count)).append(')');
        if (count > 1 && !top.isEmpty()) {
            ProcessSample big = top.get(0);
            m.append("; the biggest is pid ").append(big.pid()).append(" (").append(big.name()).append(") at ")
                    .append(ByteSize.format(big.rssBytes()));
        }
        Duration tolerate = settings.tolerate();
        if (!tolerate.isZero()) {
            m.append("; over the limit; tolerated for up to ").append(Durations.format(tolerate));
        }
        List<Map<String, Object>> topFields = new ArrayList<>();
        for (ProcessSample p : top) {
            topFields.add(Event.fields("pid", p.pid(), "rss_bytes", p.rssBytes(), "command", p.command()));
        }
        return event(at, run, EventKind.LIMIT_CROSSED, m.toString(), Event.fields("pid", pid,
                "rss_bytes", r.last.rssBytes(), "limit_bytes", bytesOrNull(limit), "processes", count,
                "tolerate_seconds", seconds(tolerate), "top", topFields));
    }

    Event limitCleared(long at, int run, Duration over, long rssBytes, MemoryLimit limit) {
        return event(at, run, EventKind.LIMIT_CLEARED, "back under the limit after " + Durations.format(over)
                + ": " + settings.measure().noun() + " " + ByteSize.format(rssBytes) + " <= limit " + limit,
                Event.fields("rss_bytes", rssBytes, "limit_bytes", bytesOrNull(limit), "duration_seconds",
                        seconds(over)));
    }

    /** The first tier: {@code detail} says how long the tree was over (with a tolerance), or is empty. */
    Event firstSignal(long at, int run, long pid, Signal signal, StopReason reason, String detail, int processes) {
        return event(at, run, EventKind.SIGNAL_SENT, "sent " + signal.fullName() + " to the tree ("
                + reason.description() + detail + "); SIGKILL in " + Durations.format(settings.grace())
                + " if still running", signalFields(pid, signal, reason, processes));
    }

    Event kill(long at, int run, long pid, StopReason reason, String why, int processes) {
        return event(at, run, EventKind.SIGNAL_SENT, "sent SIGKILL to the tree (" + why + ")",
                signalFields(pid, Signal.KILL, reason, processes));
    }

    String overFor(Duration over) {
        return settings.tolerate().isZero() ? "" : " for " + Durations.format(over);
    }

    String graceOver(int processes) {
        return "grace period of " + Durations.format(settings.grace()) + " is over, " + processes(processes) + " left";
    }

    Event kernelOom(long at, int run, KernelOomWatch.Report report, long kernelLimitBytes) {
        ProcessSample v = report.victim();
        String at2 = kernelLimitBytes > 0 ? " at the kernel limit " + ByteSize.format(kernelLimitBytes) : "";
        String more = report.kills() > 1 ? " (" + report.kills() + " OOM kills)" : "";
        return event(at, run, EventKind.KERNEL_OOM, "the kernel killed " + victim(report) + at2 + more,
                Event.fields("pid", v == null ? 0 : v.pid(), "command", v == null ? null : v.command(),
                        "rss_bytes", v == null ? null : v.rssBytes(),
                        "kernel_limit_bytes", kernelLimitBytes > 0 ? kernelLimitBytes : null,
                        "oom_kills", report.kills()));
    }

    String killTheRest(KernelOomWatch.Report report) {
        return "the kernel killed " + victim(report) + "; killing the rest";
    }

    Event exited(long at, int run, long pid, int exitStatus, StopReason reason, Duration ran, long peakRss,
                 int sentinelStatus) {
        String why = reason == null ? "" : " (stopped by sentinel: " + reason.description() + ")";
        // A program that ends before its first full sample has no peak worth printing.
        String peak = peakRss > 0 ? ", peak RSS " + ByteSize.format(peakRss) : "";
        String reported = sentinelStatus != exitStatus ? "; Sentinel reports "
                + Signal.describeExitStatus(sentinelStatus) + " for a memory stop" : "";
        return event(at, run, EventKind.EXITED, describeExit(exitStatus) + why + " after " + Durations.format(ran)
                + peak + reported, Event.fields("pid", pid, "exit_status", exitStatus,
                "signal", Signal.nameForExitStatus(exitStatus), "reason", reason == null ? null : reason.label(),
                "duration_seconds", seconds(ran), "peak_rss_bytes", peakRss, "sentinel_status", sentinelStatus));
    }

    Event gaveUp(long at, int run, int restarts, int lastExit, int sentinelStatus) {
        Duration stable = settings.restart().stableAfter();
        return event(at, run, EventKind.GAVE_UP, "gave up after " + restarts + " restart" + (restarts == 1 ? "" : "s")
                + " in a row that each lasted under " + Durations.format(stable) + " (the last run "
                + describeExit(lastExit) + ")", Event.fields("restarts", restarts, "exit_status", sentinelStatus,
                "stable_after_seconds", seconds(stable)));
    }

    Event restartScheduled(long at, int run, RestartReason reason, Duration delay, int streak, Duration ran) {
        int max = settings.restart().maxRestarts();
        String when = delay.isZero() ? "restarting now" : "restarting in " + Durations.format(delay);
        String count = max > 0 ? "restart " + streak + " of at most " + max : "restart " + streak + " in a row, no limit";
        return event(at, run, EventKind.RESTART_SCHEDULED, when + " (" + count + "; the last run lasted "
                + Durations.format(ran) + ")", Event.fields("reason", reason.label(), "delay_seconds", seconds(delay),
                "restart", streak, "max_restarts", max, "duration_seconds", seconds(ran)));
    }

    Event limitChanged(long at, int run, MemoryLimit old, MemoryLimit now, boolean kernelChanged, long kernelBytes) {
        String kernel = kernelChanged ? "; kernel limit " + (kernelBytes > 0 ? ByteSize.format(kernelBytes) : "none") : "";
        return event(at, run, EventKind.LIMIT_CHANGED, "limit changed from " + old + " to " + now + kernel,
                Event.fields("limit_bytes", bytesOrNull(now), "previous_limit_bytes", bytesOrNull(old),
                        "kernel_limit_bytes", kernelBytes > 0 ? kernelBytes : null));
    }

    /** Processes of the tree that /proc does not show Sentinel (said once a run). */
    Event hiddenProcesses(long at, int run, int count) {
        String what = count == 1 ? "1 process of the tree is" : count + " processes of the tree are";
        return event(at, run, EventKind.WARNING, what + " hidden from Sentinel in /proc (hidepid, or not dumpable"
                + " as after a setuid exec): " + (count == 1 ? "its" : "their") + " memory is not counted",
                Event.fields("hidden_processes", count));
    }

    Event noKernelLimit(long at, int run, String why) {
        return event(at, run, EventKind.WARNING, "no kernel limit: " + why, Event.fields("error", why));
    }

    // ---- answers to orders

    OrderResult nothingToStop(ProgramState state) {
        return OrderResult.nothingToDo("nothing to stop: " + name + " " + finalWords(state));
    }

    OrderResult nothingToKill(ProgramState state) {
        return OrderResult.nothingToDo("nothing to kill: " + name + " " + finalWords(state));
    }

    OrderResult noLongerWaiting() {
        return OrderResult.done(name + " will not start when the programs it waits for are ready; it stays stopped");
    }

    /** What a program stopped for a required program's sake waits for. */
    String requiredDown() {
        return "the programs it requires (" + String.join(", ", settings.requires()) + ") to be ready again";
    }

    OrderResult restartCancelled(Duration left) {
        return OrderResult.done("cancelled the restart of " + name + " that was due in " + Durations.format(left)
                + "; it stays stopped");
    }

    OrderResult alreadyStopping(boolean restartCancelled, StopReason reason) {
        return OrderResult.done((restartCancelled ? "restart cancelled; " : "") + "already stopping " + name + " ("
                + reason.description() + ")");
    }

    OrderResult stopping(Signal first) {
        return OrderResult.done("sent " + first.fullName() + " to " + name + ", SIGKILL follows in "
                + Durations.format(settings.grace()) + " if it is still running");
    }

    OrderResult killed(int processes) {
        return OrderResult.done("sent SIGKILL to " + name + " (" + processes(processes) + ")");
    }

    OrderResult restartingOnceGone() {
        return OrderResult.done("restarting " + name + " once its tree is gone");
    }

    OrderResult restarting() {
        return OrderResult.done("restarting " + name + ": sent " + settings.stopSignal().fullName()
                + ", SIGKILL follows in " + Durations.format(settings.grace()) + " if needed");
    }

    OrderResult alreadyRunning(ProgramState state) {
        return OrderResult.nothingToDo(name + " is already running (state " + state + "); 'restart' stops and starts "
                + "it again");
    }

    /** An order that would start a tree Sentinel attached to (or waits to attach to) and did not start. */
    OrderResult notItsParent(String order, long pid, String waitingFor) {
        if (waitingFor != null) {
            return OrderResult.refused(order + ": Sentinel is waiting for " + waitingFor + " and attaches to it once "
                    + "it runs; it starts nothing itself");
        }
        return OrderResult.refused(order + ": Sentinel attached to pid " + pid + " and is not its parent, so it "
                + "cannot start it again; 'stop' stops it, and whatever started it (the kubelet) starts it again");
    }

    OrderResult couldNotStart(String order, int exitStatus) {
        return OrderResult.refused("could not start " + name + " (" + order + "): " + describeExit(exitStatus));
    }

    OrderResult startedFirst(long pid) {
        return OrderResult.done("started " + name + " as pid " + pid);
    }

    /** @param waited how the program waited before: in BACKOFF (for {@code dueIn}), FATAL, or neither */
    OrderResult startedAgain(long pid, ProgramState waited, Duration dueIn) {
        String was = waited == ProgramState.BACKOFF ? " (its restart was due in " + Durations.format(dueIn) + ")"
                : waited == ProgramState.FATAL ? " (Sentinel had given up on it)" : "";
        return OrderResult.done("started " + name + " again as pid " + pid + was);
    }

    OrderResult limitChanged(MemoryLimit old, MemoryLimit now) {
        return OrderResult.done("limit of " + name + " changed from " + old + " to " + now
                + (now.isSet() ? "" : " (watching only)"));
    }

    OrderResult forwarded(Signal signal) {
        return OrderResult.done("sent " + signal.fullName() + " to the process group of " + name);
    }

    OrderResult nothingToSignal(ProgramState state) {
        return OrderResult.nothingToDo("no process to signal: " + name + (state == ProgramState.BACKOFF
                ? " is waiting to restart" : " has exited"));
    }

    // ---- pieces

    static String describeExit(int status) {
        return "exited with status " + Signal.describeExitStatus(status);
    }

    static String processes(int n) {
        return n + " process" + (n == 1 ? "" : "es");
    }

    /** The {@code n} processes with the most RSS, biggest first. */
    static List<ProcessSample> biggest(List<ProcessSample> processes, int n) {
        List<ProcessSample> top = new ArrayList<>(Math.min(n + 1, processes.size()));
        for (ProcessSample p : processes) {
            int at = top.size();
            while (at > 0 && top.get(at - 1).rssBytes() < p.rssBytes()) {
                at--;
            }
            if (at < n) {
                top.add(at, p);
                if (top.size() > n) {
                    top.remove(n);
                }
            }
        }
        return top;
    }

    private static String victim(KernelOomWatch.Report report) {
        ProcessSample v = report.victim();
        return v == null ? "a process" : "pid " + v.pid() + " (" + v.name() + ", " + ByteSize.format(v.rssBytes()) + ")";
    }

    private static String finalWords(ProgramState state) {
        return state == ProgramState.FATAL ? "has been given up on (FATAL); 'start' starts it again" : "has exited";
    }

    private static String cause(RestartReason reason) {
        return switch (reason) {
            case MEMORY -> "a memory stop";
            case FAILURE -> "a failure";
            case EXIT -> "an exit";
            case ORDER -> "an order";
            case CHECK_FAILED -> "a failed health check";
            case WATCHDOG -> "a silent watchdog";
            case READY_TIMEOUT -> "no readiness in time";
            case REQUIRED -> "the programs it requires came back";
        };
    }

    private static Map<String, Object> signalFields(long pid, Signal signal, StopReason reason, int processes) {
        return Event.fields("pid", pid, "signal", signal.fullName(), "reason", reason.label(), "processes", processes);
    }

    private static Long bytesOrNull(MemoryLimit l) {
        return l.isSet() ? l.bytes() : null;
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private Event event(long at, int run, EventKind kind, String message, Map<String, Object> fields) {
        return new Event(at, name, run, kind, message, fields);
    }
}
