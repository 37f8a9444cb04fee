package dev.sentinel.control;

import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopExtension;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventJson;
import dev.sentinel.events.EventKind;
import dev.sentinel.platform.DescriptorBudget;
import dev.sentinel.platform.ProcFs;
import dev.sentinel.time.UtcOffset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: {@code echo status | nc -U /tmp/sentinel.socket}. This is its supervisor-loop
 * side; every connection lives on the control thread ({@link ControlConnections}), without a thread
 * per client. Questions are answered there from the latest published snapshot; orders are posted to
 * the loop, which alone touches the programs, and their replies are handed back here, to go to the
 * control thread once the snapshot showing their effect is published. The loop hands the control
 * thread a snapshot after a sample only while someone watches. Everything a client can make it do is
 * bounded: one line of at most 4 KiB, a few seconds to send it and to read the reply, a capped number
 * of connections; so no client can delay sampling or a kill.
 *
 * <p>Lifecycle: {@link #bind} before the program starts (so a busy path fails fast with exit 2),
 * {@link #attach} on the loop; the control thread serves from the first snapshot published after
 * the program started; {@link #close} when the loop ends stops the thread and removes the socket
 * file.
 */
public final class ControlServer implements LoopExtension {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);

    private final BoundSocket socket;
    private final PeerPolicy policy;
    private final EventJson json;
    private final ControlLimits limits;
    private final Thread unlinkAtExit;
    /** Set on attach (on the loop), then used by the loop and read by tests. */
    private volatile ControlConnections connections;
    // Owned by the supervisor loop.
    private final List<Runnable> repliesAfterPublish = new ArrayList<>();
    private long lastSamples = -1;
    /** The programs' states, one base-N digit each (N = number of states). */
    private long lastStates = -1;
    private boolean closed;
    private boolean serving;

    private ControlServer(BoundSocket socket, PeerPolicy policy, ControlLimits limits, EventJson json) {
        this.socket = socket;
        this.policy = policy;
        this.json = json;
        this.limits = limits;
        // Removes the file on System.exit and on the signals the JVM turns into an orderly exit;
        // it only unlinks (never touches the channels), so running beside close() is harmless.
        this.unlinkAtExit = new Thread(socket::unlink, "sentinel-socket-cleanup");
        Runtime.getRuntime().addShutdownHook(unlinkAtExit);
    }

    /**
     * Binds the socket (before the program starts), or explains in one sentence why it cannot.
     *
     * @param json how {@code events} and {@code history} write times (the local zone)
     */
    public static ControlServer bind(ControlSettings settings, EventJson json) throws ControlException {
        ControlLimits limits = ControlLimits.DEFAULT.withMaxConnections(
                DescriptorBudget.of(ProcFs.system()).connections(ControlLimits.DEFAULT.maxConnections()));
        return bind(settings, limits, ProcFs.system().effectiveUid(), ProcessHandle.current().pid(),
                json);
    }

    /** For tests: other limits, and a chosen uid and pid (the fallback path is named after the pid); times in UTC. */
    static ControlServer bind(ControlSettings settings, ControlLimits limits, long ownUid, long pid)
            throws ControlException {
        return bind(settings, limits, ownUid, pid, new EventJson(UtcOffset.UTC));
    }

    static ControlServer bind(ControlSettings settings, ControlLimits limits, long ownUid, long pid, EventJson json)
            throws ControlException {
        BoundSocket socket = new SocketBinder(pid).bind(settings);
        return new ControlServer(socket, PeerPolicy.forSocket(ownUid, settings.mode(), socket.gid()), limits, json);
    }

    /** The path actually bound (the per-process fallback when the default path is taken). */
    public Path path() {
        return socket.path();
    }

    /** Why the default path was not used (another Sentinel holds it), or null. */
    public String fallbackReason() {
        return socket.fallbackReason();
    }

    @Override
    public void attach(LoopContext context) {
        try {
            connections = new ControlConnections(socket, policy, limits, json, this, context.handle());
        } catch (IOException | RuntimeException e) {
            warn(context, "the control socket " + path() + " cannot be served: " + e.getMessage());
            return;
        }
        if (socket.fallbackReason() != null) {
            warn(context, socket.fallbackReason() + "; this Sentinel listens on " + path()
                    + " (sentinel ctl --socket " + path() + " status)");
        }
    }

    @Override
    public void afterTick(Snapshot snapshot) {
        ControlConnections c = connections;
        if (c != null && !serving) {
            // Clients are answered from the first snapshot with the program started, as they were
            // when the socket lived in the loop; until then they wait in the listen backlog.
            serving = true;
            c.start();
        }
        // Runs on every loop iteration, so it allocates nothing until there is a line to send; the
        // baseline is kept current even with nobody watching, so a new watcher waits for a new sample.
        long samples = 0;
        long states = 0;
        for (ProgramSnapshot p : snapshot.programs()) {
            samples += p.samples();
            states = states * ControlConnections.STATES + p.state().ordinal();
        }
        if (!repliesAfterPublish.isEmpty() && c != null) {
            repliesAfterPublish.forEach(c::post);
            repliesAfterPublish.clear();
        }
        boolean changed = samples != lastSamples || states != lastStates;
        lastSamples = samples;
        lastStates = states;
        if (changed && c != null && c.watched()) {
            c.post(() -> c.pushToWatchers(snapshot));
        }
    }

    /**
     * On the loop: {@code reply} goes to the control thread once the next snapshot is published, so
     * a {@code status} sent after the {@code OK} sees the order's effect.
     */
    void afterPublish(Runnable reply) {
        repliesAfterPublish.add(reply);
    }

    /**
     * Closes every connection (sending what is queued, if the client takes it at once), stops the
     * control thread, closes the socket and removes the socket file. Idempotent; not for the control
     * thread itself.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ControlConnections c = connections;
        if (c != null) {
            try {
                if (!c.stop()) {
                    LOG.warn("the control socket's thread did not stop within {} ms",
                            ControlConnections.STOP_WAIT_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        socket.close();
        try {
            Runtime.getRuntime().removeShutdownHook(unlinkAtExit);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down; the hook does the same harmless unlink
        }
    }

    /** How many clients are connected now (for tests and diagnostics; any thread). */
    int connectionCount() {
        ControlConnections c = connections;
        return c == null ? 0 : c.connectionCount();
    }

    @Override
    public String toString() {
        return "control socket " + path();
    }

    private static void warn(LoopContext ctx, String message) {
        ctx.events().emit(new Event(ctx.clock().epochMillis(), ctx.selfName(), EventKind.WARNING, message));
    }
}
