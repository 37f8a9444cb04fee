package dev.sentinel.cli;

import dev.sentinel.core.Supervisor;
import dev.sentinel.core.program.Program;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.platform.AttachLauncher;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * {@code sentinel attach --match}: looks through /proc for the process on a thread of its own, so
 * that the loop turns meanwhile (the socket, the metrics and {@code /healthz} answer while the app
 * is not up yet: a native sidecar starts before it), and hands the oldest match to the loop,
 * which releases the waiting program. Every {@value #FAST_MILLIS} ms for the first
 * {@value #FAST_SCANS} scans, then every {@value #SLOW_MILLIS} ms: a scan reads every process's
 * command line, cheap in a pod, not free on a host of thousands.
 */
final class AttachWait implements AutoCloseable {

    static final long FAST_MILLIS = 100;
    static final int FAST_SCANS = 100;
    static final long SLOW_MILLIS = 500;
    /** How much of a matching command line an event shows. */
    static final int SHOWN_CHARS = 160;

    private final AttachLauncher launcher;
    private final String match;
    private final Thread thread;
    private volatile boolean closed;

    private AttachWait(AttachLauncher launcher, String match, Supervisor loop, Program program) {
        this.launcher = launcher;
        this.match = match;
        this.thread = new Thread(() -> look(loop, program), "sentinel-attach-wait");
        thread.setDaemon(true);
    }

    /** The description a waiting program shows ({@code status}, the dashboard). */
    static String waitingFor(String match) {
        return "a process matching '" + match + "'";
    }

    /** Starts looking for {@code program}'s process (held until then) and returns the search, to close at the end. */
    static AttachWait start(AttachLauncher launcher, String match, Supervisor loop, Program program) {
        AttachWait wait = new AttachWait(launcher, match, loop, program);
        wait.thread.start();
        return wait;
    }

    private void look(Supervisor loop, Program program) {
        long self = ProcessHandle.current().pid();
        boolean said = false;
        for (int scan = 0; !closed; scan++) {
            List<AttachLauncher.Target> found = AttachLauncher.matching(launcher.proc(), launcher.pattern(), self);
            if (!found.isEmpty()) {
                CompletableFuture<Boolean> attached = new CompletableFuture<>();
                loop.post(ctx -> {
                    AttachLauncher.Target oldest = found.get(0);
                    AttachLauncher.Target now = AttachLauncher.byPid(launcher.proc(), oldest.pid());
                    if (now == null || now.startTicks() != oldest.startTicks() || program.waitingFor() == null) {
                        // Gone since the scan (a process that starts and ends at once), or no longer waited
                        // for (stopped by an order): look again, or not at all.
                        attached.complete(program.waitingFor() == null);
                        return;
                    }
                    if (found.size() > 1) {
                        note(ctx.events()::emit, program, found.size() + " processes match '" + match
                                + "'; attaching to the oldest, pid " + oldest.pid() + " ("
                                + shortened(oldest.cmdline()) + ")");
                    }
                    launcher.found(oldest);
                    program.release();
                    attached.complete(true);
                });
                try {
                    if (attached.get()) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (ExecutionException e) {
                    return;
                }
            }
            if (!said) {
                said = true;
                loop.post(ctx -> note(ctx.events()::emit, program, "waiting for " + waitingFor(match)));
            }
            try {
                Thread.sleep(scan < FAST_SCANS ? FAST_MILLIS : SLOW_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** A command line short enough for one event line (a JVM's class path can take pages). */
    static String shortened(String cmdline) {
        return cmdline.length() <= SHOWN_CHARS ? cmdline : cmdline.substring(0, SHOWN_CHARS - 3) + "...";
    }

    private static void note(java.util.function.Consumer<Event> events, Program program, String message) {
        events.accept(new Event(System.currentTimeMillis(), program.name(), EventKind.WARNING, message));
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
