package dev.sentinel.platform.health;

import dev.sentinel.platform.Child;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.ProcessLauncher;
import dev.sentinel.platform.Signal;
import dev.sentinel.platform.Signaller;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a check command through Sentinel's launcher, not ProcessBuilder: so it leads its own
 * session and process group (one signal reaches all it started), has a lifeline (it dies with a
 * SIGKILLed Sentinel), and Sentinel's subreaper leaves its exit status to the JDK.
 *
 * <p>At the timeout the failure is reported at once; then its group gets SIGTERM, and SIGKILL
 * {@link #KILL_AFTER} later. A check has no state worth a longer grace than that (a hook gets 2 s).
 */
final class ExecProbe {

    static final Duration KILL_AFTER = Duration.ofSeconds(1);
    /** How long the output of a check that has exited may take to come through its pipes. */
    static final Duration OUTPUT_AFTER = Duration.ofMillis(500);
    /** How much of its first line a failure's detail keeps. */
    static final int LINE_CHARS = 160;

    private final ProcessLauncher launcher;
    private final Signaller signaller;

    ExecProbe(ProcessLauncher launcher, Signaller signaller) {
        this.launcher = launcher;
        this.signaller = signaller;
    }

    void check(Probe.Exec probe, Deadline deadline, Outcome outcome) {
        FirstLine output = new FirstLine(LINE_CHARS);
        Child child;
        try {
            child = launcher.launch(new LaunchSpec(probe.argv(), output, probe.cwd(), probe.env(), false));
        } catch (LaunchException e) {
            outcome.fail(e.getMessage());
            return;
        }
        CompletableFuture<Void> exited = new CompletableFuture<>();
        child.onExit(() -> exited.complete(null));
        int status;
        try {
            if (!await(exited, deadline.remainingNanos())) {
                signaller.signalGroup(child.pgid(), Signal.TERM);
                outcome.fail(deadline.timedOut());
                await(exited, KILL_AFTER.toNanos());
                // Its leader may have gone at the TERM while others in its group ignore it.
                signaller.signalGroup(child.pgid(), Signal.KILL);
                await(exited, KILL_AFTER.toNanos());
                return;
            }
            // What it left running goes with it, and lets go of the pipes its line may be in.
            signaller.signalGroup(child.pgid(), Signal.KILL);
            output.awaitEnd(OUTPUT_AFTER);
            status = child.exitStatus().orElse(-1);
        } catch (InterruptedException e) {
            // The runner is closing: no grace.
            signaller.signalGroup(child.pgid(), Signal.KILL);
            outcome.fail(Details.SHUTTING_DOWN);
            awaitUninterruptibly(exited, KILL_AFTER.toNanos());
            Thread.currentThread().interrupt();
            return;
        } finally {
            child.release();
        }
        report(status, output.first(), outcome);
    }

    /** {@code exit 0}; {@code exit 3: <its first line>}; {@code killed by SIGKILL}. */
    static void report(int status, String firstLine, Outcome outcome) {
        if (status == 0) {
            outcome.pass("exit 0");
            return;
        }
        String signal = Signal.nameForExitStatus(status);
        if (signal != null) {
            outcome.fail("killed by " + signal);
        } else {
            outcome.fail(firstLine == null ? "exit " + status : "exit " + status + ": " + firstLine);
        }
    }

    private static boolean await(CompletableFuture<Void> exited, long nanos) throws InterruptedException {
        try {
            exited.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    private static void awaitUninterruptibly(CompletableFuture<Void> exited, long nanos) {
        long end = System.nanoTime() + nanos;
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    await(exited, end - System.nanoTime());
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
