package dev.sentinel.control;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventJson;
import dev.sentinel.events.EventKind;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopExtension;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.Snapshot;
import dev.sentinel.time.UtcOffset;
import dev.sentinel.platform.ProcFs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.newsclub.net.unix.AFUNIXSelectorProvider;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket: {@code echo status | nc -U /tmp/sentinel.socket}. Every connection lives on
 * one control thread ({@link ControlLoop}), without a thread per client. Questions are answered
 * there from the latest published snapshot; orders are posted to the supervisor loop, which alone
 * touches the guardian, and their replies come back to the control thread. The supervisor loop
 * hands the control thread a snapshot after a sample only while someone watches. Everything a
 * client can make it do is bounded: one line of at most 4 KiB, a few seconds to send it and to
 * read the reply, a capped number of connections; so no client can delay sampling or a kill.
 *
 * <p>Lines are parsed against the programs of the snapshot they are answered from, so a question
 * names only programs that snapshot holds; orders look their names up again on the loop.
 *
 * <p>Lifecycle: {@link #bind} before the program starts (so a busy path fails fast with exit 2),
 * {@link #attach} on the loop; the control thread serves from the first snapshot published after
 * the program started; {@link #close} when the loop ends stops the thread and removes the socket
 * file.
 */
public final class ControlServer implements LoopExtension {

    private static final Logger LOG = LoggerFactory.getLogger(ControlServer.class);
    private static final long REFUSAL_NOTICE_NANOS = 10_000_000_000L;
    private static final long ACCEPT_PAUSE_NANOS = 100_000_000L;
    private static final long STOP_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(2);
    private static final int STATES = ProgramState.values().length;

    private final BoundSocket socket;
    private final PeerPolicy policy;
    private final EventJson json;
    private final ControlLimits limits;
    private final Thread unlinkAtExit;
    // Owned by the control thread.
    private final Set<Connection> connections = new HashSet<>();
    private final Set<Connection> watchers = new LinkedHashSet<>();
    private final ByteBuffer scratch;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private ControlLoop control;
    private ControlLoop.Deadline sweep;
    private long sweepAt;
    /** Deadlines closer together than this are handled by one sweep. */
    private static final long MIN_SWEEP_SPACING_NANOS = 20_000_000L;
    private long lastRefusalNotice;
    private int refusalsSinceNotice;
    private boolean closing;
    /** Read by the supervisor loop after each tick: whether a snapshot is worth handing over. */
    private volatile boolean watched;
    /** For tests and diagnostics, readable from any thread. */
    private volatile int connectionCount;
    // Set on attach; read by both threads (post, latest, clock are safe from any thread).
    private volatile LoopContext loop;
    /** Sentinel's own name in events (its warnings, {@code events sentinel}); set on attach, fixed. */
    private volatile String selfName;
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
        this.scratch = ByteBuffer.allocate(Math.max(limits.maxLineBytes() + 2, 16 * 1024));
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
        return bind(settings, ControlLimits.DEFAULT, ProcFs.system().effectiveUid(), ProcessHandle.current().pid(),
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
        this.loop = context;
        this.selfName = context.selfName();
        try {
            ControlLoop c = new ControlLoop(AFUNIXSelectorProvider.provider().openSelector(), context.clock());
            // Registered before the thread starts: nothing else selects on it yet.
            socket.channel().register(c.selector(), SelectionKey.OP_ACCEPT, (ReadyHandler) this::acceptReady);
            control = c;
        } catch (IOException | RuntimeException e) {
            emitWarning(context, "the control socket " + path() + " cannot be served: " + e.getMessage());
            return;
        }
        if (socket.fallbackReason() != null) {
            emitWarning(context, socket.fallbackReason() + "; this Sentinel listens on " + path()
                    + " (sentinel ctl --socket " + path() + " status)");
        }
    }

    @Override
    public void afterTick(Snapshot snapshot) {
        if (control != null && !serving) {
            // Clients are answered from the first snapshot with the program started, as they were
            // when the socket lived in the loop; until then they wait in the listen backlog.
            serving = true;
            control.start();
        }
        // Runs on every loop iteration, so it allocates nothing until there is a line to send; the
        // baseline is kept current even with nobody watching, so a new watcher waits for a new sample.
        long samples = 0;
        long states = 0;
        for (ProgramSnapshot p : snapshot.programs()) {
            samples += p.samples();
            states = states * STATES + p.state().ordinal();
        }
        if (!repliesAfterPublish.isEmpty()) {
            repliesAfterPublish.forEach(control::post);
            repliesAfterPublish.clear();
        }
        boolean changed = samples != lastSamples || states != lastStates;
        lastSamples = samples;
        lastStates = states;
        if (changed && watched && control != null) {
            control.post(() -> pushToWatchers(snapshot));
        }
    }

    private void pushToWatchers(Snapshot snapshot) {
        // Watchers of every program share one rendering per form; a watcher of one program gets its
        // line only when that program was sampled or changed state, not when another one was.
        String human = null;
        String machine = null;
        for (Connection c : List.copyOf(watchers)) {
            if (!c.advanceTo(snapshot)) {
                continue;
            }
            Command.Watch w = c.watch();
            if (w.target() instanceof Target.Named named) {
                pushOne(c, w, named.name(), snapshot);
            } else if (w.json()) {
                machine = machine != null ? machine : Answers.statusLines(snapshot, true, snapshot.epochMillis());
                c.push(machine);
            } else {
                human = human != null ? human : Answers.statusLines(snapshot, false, snapshot.epochMillis());
                c.push(human);
            }
        }
    }

    private static void pushOne(Connection c, Command.Watch w, String name, Snapshot snapshot) {
        List<ProgramSnapshot> p = Answers.programs(snapshot, w.target());
        if (p == null) {
            c.endWatch("ERR " + CommandParser.quote(name) + " is no longer guarded (a reload removed it)\n");
        } else if (c.programChanged(mark(p.get(0)))) {
            c.push(Answers.statusLines(p, snapshot, w.json(), snapshot.epochMillis()));
        }
    }

    /** What a new line for one program's watcher needs: another sample, or another state. */
    private static long mark(ProgramSnapshot p) {
        return p.samples() * STATES + p.state().ordinal();
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
        if (control != null) {
            try {
                if (!control.stop(this::closeConnections, STOP_WAIT_MILLIS)) {
                    LOG.warn("the control socket's thread did not stop within {} ms", STOP_WAIT_MILLIS);
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

    @Override
    public String toString() {
        return "control socket " + path();
    }

    private void closeConnections() {
        closing = true;
        if (sweep != null) {
            sweep.cancel();
            sweep = null;
        }
        for (Connection c : List.copyOf(connections)) {
            c.closeAtExit();
        }
    }

    // ---- called by connections, on the control thread

    void handle(Connection c, String line) {
        // Watched before the snapshot is read (the line is parsed against it, so it is read before
        // we know whether this is a watch), so no later sample can slip past a new watcher; the one
        // read here is not sent twice (Connection#advanceTo).
        watched = true;
        Snapshot latest = loop.latest();
        Command command = CommandParser.parse(line, ProgramNames.of(latest, selfName));
        if (command instanceof Command.Watch w) {
            watchers.add(c);
            List<ProgramSnapshot> programs = Answers.programs(latest, w.target());
            long mark = w.target() instanceof Target.Named ? mark(programs.get(0)) : -1;
            c.startWatch(w, Answers.statusLines(programs, latest, w.json(), loop.clock().epochMillis()),
                    latest.sequence(), mark);
            return;
        }
        watched = !watchers.isEmpty();
        if (!command.isOrder()) {
            c.replyAndClose(Answers.answer(command, latest, json, loop.clock().epochMillis()));
            return;
        }
        // Only the supervisor loop touches the guardian. The reply comes back here once the
        // snapshot showing the order's effect is published, so a 'status' sent after the 'OK' sees it.
        c.awaitReply();
        if (command instanceof Command.Reload) {
            // The file is read off the loop; the reply follows once the loop has applied it.
            loop.post(ctx -> Orders.reload(c.peer(), ctx, reply -> repliesAfterPublish.add(() -> c.replyAndClose(reply))));
            return;
        }
        loop.post(ctx -> {
            String reply = Orders.carryOut(command, c.peer(), ctx);
            repliesAfterPublish.add(() -> c.replyAndClose(reply));
        });
    }

    void forget(Connection c) {
        connections.remove(c);
        connectionCount = connections.size();
        if (watchers.remove(c)) {
            watched = !watchers.isEmpty();
        }
        if (c.droppedLines() > 0) {
            LOG.debug("watch from {} dropped {} lines it did not read in time", c.peer(), c.droppedLines());
        }
    }

    ByteBuffer scratch() {
        return scratch;
    }

    CharsetDecoder decoder() {
        return decoder;
    }

    long now() {
        return control.now();
    }

    /** How many clients are connected now (for tests and diagnostics; any thread). */
    int connectionCount() {
        return connectionCount;
    }

    // ---- accepting

    private void acceptReady(SelectionKey key) {
        for (int i = 0; i < limits.acceptBatch(); i++) {
            AFUNIXSocketChannel c;
            try {
                c = socket.channel().accept();
            } catch (IOException e) {
                // Out of file descriptors, most likely: the pending connection stays pending and the
                // socket stays readable, so stop asking for a moment instead of spinning on it.
                LOG.debug("accept on {} failed", path(), e);
                key.interestOps(0);
                control.schedule(now() + ACCEPT_PAUSE_NANOS, () -> {
                    if (key.isValid()) {
                        key.interestOps(SelectionKey.OP_ACCEPT);
                    }
                });
                return;
            }
            if (c == null) {
                return;
            }
            admit(c);
        }
    }

    private void admit(AFUNIXSocketChannel c) {
        Peer peer;
        try {
            c.configureBlocking(false);
            AFUNIXSocketCredentials cred = c.getPeerCredentials();
            peer = new Peer(cred.getUid(), cred.getGid(), cred.getPid());
        } catch (IOException e) {
            closeQuietly(c);
            return;
        }
        String refusal = policy.refusal(peer);
        if (refusal != null) {
            sayAndClose(c, "ERR " + refusal + "\n");
            noteRefusal(peer);
            return;
        }
        if (connections.size() >= limits.maxConnections()) {
            pruneClosed();
        }
        if (connections.size() >= limits.maxConnections()) {
            sayAndClose(c, "ERR too many connections (" + limits.maxConnections() + " open); try again later\n");
            return;
        }
        Connection conn = new Connection(this, c, peer, limits, now());
        try {
            conn.register(control.selector());
        } catch (IOException e) {
            closeQuietly(c);
            return;
        }
        connections.add(conn);
        connectionCount = connections.size();
        deadlineAt(conn.nextDeadline());
    }

    /** Best effort, never blocking: one write of one line, then close. */
    private void sayAndClose(AFUNIXSocketChannel c, String line) {
        try {
            c.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            // the client is gone already
        }
        drain(c, scratch);
        closeQuietly(c);
    }

    /** Refusals are worth one line now and then, not one per connection of a flood. */
    private void noteRefusal(Peer peer) {
        long now = now();
        refusalsSinceNotice++;
        if (lastRefusalNotice != 0 && now - lastRefusalNotice < REFUSAL_NOTICE_NANOS) {
            return;
        }
        int others = refusalsSinceNotice - 1;
        lastRefusalNotice = now;
        refusalsSinceNotice = 0;
        warn("refused a control connection from " + peer + " (not Sentinel's user)"
                + (others > 0 ? " and " + others + " more since the last notice" : ""));
    }

    // ---- deadlines: one sweep timer, set for the earliest deadline of any connection

    /**
     * Makes sure a sweep runs by {@code deadline}. The sweep runs only when some deadline is due, so
     * a thousand silent connections cost one pass when their idle time is up, not one every period.
     */
    void deadlineAt(long deadline) {
        if (closing) {
            return;
        }
        long at = Math.max(deadline, now() + MIN_SWEEP_SPACING_NANOS);
        if (sweep == null || at < sweepAt) {
            if (sweep != null) {
                sweep.cancel();
            }
            sweepAt = at;
            sweep = control.schedule(at, this::sweepNow);
        }
    }

    private void scheduleSweep() {
        long earliest = Long.MAX_VALUE;
        for (Connection c : connections) {
            earliest = Math.min(earliest, c.nextDeadline());
        }
        if (earliest != Long.MAX_VALUE) {
            deadlineAt(earliest);
        }
    }

    private void sweepNow() {
        sweep = null;
        long now = now();
        for (Connection c : List.copyOf(connections)) {
            c.expire(now);
        }
        scheduleSweep();
    }

    private void pruneClosed() {
        for (Connection c : List.copyOf(connections)) {
            c.forgetIfClosed();
        }
    }

    /** From the control thread: the event is emitted on the supervisor loop, which owns the event log. */
    private void warn(String message) {
        long at = loop.clock().epochMillis();
        loop.post(ctx -> ctx.events().emit(new Event(at, ctx.selfName(), EventKind.WARNING, message)));
    }

    private static void emitWarning(LoopContext ctx, String message) {
        ctx.events().emit(new Event(ctx.clock().epochMillis(), ctx.selfName(), EventKind.WARNING, message));
    }

    /** Reads and drops what is waiting (bounded), so that closing does not reset the client's connection. */
    static void drain(AFUNIXSocketChannel c, ByteBuffer scratch) {
        try {
            for (int i = 0; i < 4; i++) {
                scratch.clear();
                if (c.read(scratch) <= 0) {
                    return;
                }
            }
        } catch (IOException e) {
            // gone
        }
    }

    private static void closeQuietly(AFUNIXSocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closed anyway
        }
    }
}
