package dev.sentinel.control;

import dev.sentinel.core.LoopHandle;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.Target;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventJson;
import dev.sentinel.events.EventKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * The control socket's connection side: everything that runs on its own thread ({@link ControlLoop}):
 * accepting, the connections and their deadlines, parsing lines, answering questions from the
 * latest snapshot and pushing {@code watch} lines. It reaches the supervisor loop only through a
 * {@link LoopHandle} (orders are posted, with their replies handed back by the loop side,
 * {@link ControlServer}, once the snapshot showing their effect is published). Control thread only,
 * but for {@link #watched()} and {@link #connectionCount()}.
 */
final class ControlConnections {

    private static final Logger LOG = LoggerFactory.getLogger(ControlConnections.class);
    private static final long REFUSAL_NOTICE_NANOS = 10_000_000_000L;
    private static final long ACCEPT_PAUSE_NANOS = 100_000_000L;
    /** Deadlines closer together than this are handled by one sweep. */
    private static final long MIN_SWEEP_SPACING_NANOS = 20_000_000L;
    static final long STOP_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(2);
    static final int STATES = ProgramState.values().length;

    private final BoundSocket socket;
    private final PeerPolicy policy;
    private final EventJson json;
    private final ControlLimits limits;
    private final ControlServer server;
    private final LoopHandle loop;
    /** Sentinel's own name in events (its warnings, {@code events sentinel}). */
    private final String selfName;
    private final ControlLoop control;
    private final Set<Connection> connections = new HashSet<>();
    private final Set<Connection> watchers = new LinkedHashSet<>();
    private final ByteBuffer scratch;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private ControlLoop.Deadline sweep;
    private long sweepAt;
    private final Notice strangers = new Notice();
    private final Notice acceptFailures = new Notice();
    private final Notice tooMany = new Notice();
    private boolean closing;
    /** Read by the supervisor loop after each tick: whether a snapshot is worth handing over. */
    private volatile boolean watched;
    /** For tests and diagnostics, readable from any thread. */
    private volatile int connectionCount;

    /** Opens the selector and registers the listening socket; the thread starts with {@link #start()}. */
    ControlConnections(BoundSocket socket, PeerPolicy policy, ControlLimits limits, EventJson json,
                       ControlServer server, LoopHandle loop) throws IOException {
        this.socket = socket;
        this.policy = policy;
        this.limits = limits;
        this.json = json;
        this.server = server;
        this.loop = loop;
        this.selfName = loop.selfName();
        this.scratch = ByteBuffer.allocate(Math.max(limits.maxLineBytes() + 2, 16 * 1024));
        ControlLoop c = new ControlLoop(AFUNIXSelectorProvider.provider().openSelector(), loop.clock());
        // Registered before the thread starts: nothing else selects on it yet.
        socket.channel().register(c.selector(), SelectionKey.OP_ACCEPT, (ReadyHandler) this::acceptReady);
        this.control = c;
    }

    void start() {
        control.start();
    }

    /** Hands {@code task} to the control thread (any thread). */
    void post(Runnable task) {
        control.post(task);
    }

    /** Whether anyone watches (any thread). */
    boolean watched() {
        return watched;
    }

    /** Closes every connection, then stops the thread; false if it did not stop in time. */
    boolean stop() throws InterruptedException {
        return control.stop(this::closeConnections, STOP_WAIT_MILLIS);
    }

    void pushToWatchers(Snapshot snapshot) {
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
            loop.post(ctx -> SocketOrders.reload(c.peer(), ctx, reply -> server.afterPublish(() -> c.replyAndClose(reply))));
            return;
        }
        loop.post(ctx -> {
            String reply = SocketOrders.carryOut(command, c.peer(), ctx);
            server.afterPublish(() -> c.replyAndClose(reply));
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
                LOG.debug("accept on {} failed", socket.path(), e);
                acceptFailures.note(now(), "the control socket cannot accept a client ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + "); accepting pauses for 100 ms at a time, and the guard goes on");
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
            tooMany.note(now(), "refused a control connection: " + limits.maxConnections()
                    + " are open, the most this Sentinel takes (fewer under a small ulimit -n)");
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
        strangers.note(now(), "refused a control connection from " + peer + " (not Sentinel's user)");
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

    /** A warning that a flood of the same trouble is worth once per {@link #REFUSAL_NOTICE_NANOS}, with a count. */
    private final class Notice {
        private long last;
        private boolean said;
        private int since;

        void note(long now, String message) {
            if (said && now - last < REFUSAL_NOTICE_NANOS) {
                since++;
                return;
            }
            warn(message + (since > 0 ? " and " + since + " more since the last notice" : ""));
            said = true;
            last = now;
            since = 0;
        }
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
