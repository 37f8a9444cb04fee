package dev.sentinel.tui;

import dev.sentinel.core.program.ProgramState;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.TerminalScreen;
import dev.sentinel.events.Event;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.LoopHandle;
import dev.sentinel.core.Snapshot;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dashboard thread: answers keys, draws the latest snapshot, and owns the screen (no other
 * thread draws). The supervisor loop never waits for it: it reads the loop's volatile snapshot
 * and posts orders; a slow or stuck terminal only slows this thread. The screen is restored
 * however the thread ends; {@link #restore} may also be called from elsewhere (close, the shutdown
 * hook) and is idempotent. It keeps which program is selected and each program's chart history.
 *
 * <p>It costs next to nothing while nothing happens. A frame is drawn at once for a key; soon
 * (at most every {@value #NEWS_MILLIS} ms) for news: an event, a program's new state, output of
 * the selected program, a reply; and otherwise once a second (four times while a countdown is on
 * screen), which is as often as uptimes and the chart's columns move. Each frame is drawn into a
 * {@link CellGrid}, and only the cells that changed since the last one are written to the
 * terminal: an unchanged frame writes nothing. Between frames the thread sleeps until the next
 * one is due or something wakes it: on a real terminal keys arrive through {@link KeySignal}, so
 * nothing is polled; a terminal without it (Lanterna's virtual one) is polled for keys every
 * {@value #POLL_MILLIS} ms.
 *
 * <p>One class of some 550 lines, on purpose: it is the only thread that owns the screen, and what
 * it decides each turn (a key, news, the cadence, the final hold) rests on the same few fields;
 * drawing itself is {@link DashboardView}'s, the keys' meaning {@link KeyHandler}'s.
 */
final class DashboardLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardLoop.class);
    /** How often a countdown on screen (BACKOFF, the final hold) is redrawn: it shows tenths of a second. */
    static final long FRAME_MILLIS = 250;
    /**
     * How often the screen is redrawn from the latest snapshot when nothing else happens. Uptimes
     * and the chart's slots move in whole seconds, so a faster cadence would redraw the same screen.
     */
    static final long IDLE_FRAME_MILLIS = 1_000;
    /** The shortest time between two frames drawn for news (events, output, a reply); keys are answered at once. */
    static final long NEWS_MILLIS = 100;
    static final long POLL_MILLIS = 50;
    static final int EVENTS_KEPT = 200;
    static final int SCROLL_STEP = 10;

    private final TerminalScreen screen;
    private final LoopHandle loop;
    private final LoopOrders orders;
    private final DashboardView view;
    private final OutputRings outputs;
    private final EventInbox inbox;
    private final StatusLine status;
    private final LongSupplier clock;
    private final Runnable afterFrame;
    private final Consumer<Throwable> onFailure;

    private final KeyHandler keys = new KeyHandler();
    private final ProgramTracks tracks = new ProgramTracks();
    private final TableScroll tableScroll = new TableScroll();
    /** Drawn when there is no program to draw (never shown: the view draws nothing then). */
    private final ProgramTrack noProgram = new ProgramTrack(1);
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final ReentrantLock screenLock = new ReentrantLock();
    private final CountDownLatch done = new CountDownLatch(1);

    private volatile Thread thread;
    private volatile boolean restored;
    private volatile boolean frameWanted = true;
    /** The selected program printed since the last frame. */
    private volatile boolean outputNews;
    /** The terminal wakes this thread when keys arrive (else keys are polled). */
    private volatile boolean keysSignalled;
    /** The last shape {@link #published} saw (loop thread only). */
    private long publishedShape;
    private volatile boolean finalPhase;
    private volatile boolean holdEnded;
    private volatile long holdUntil;
    private volatile boolean holdUntilKey;
    private volatile String finalReason;
    private volatile boolean quitRequested;

    /** Events taken from the inbox for a frame that has not reached the terminal yet. */
    private final List<Event> unshown = new ArrayList<>();
    /** The selected program's name (null before the first frame), and where it was in the table. */
    private volatile String selected;
    private int selectedIndex;
    /** The program whose output the pane showed last: another one starts following its newest line. */
    private String outputOf;
    private boolean treeShown;
    /** This frame's drawing, and what the screen shows (null: unknown, everything is sent). */
    private CellGrid grid;
    private CellGrid shown;
    private long lastOutputTotal;
    /** The output the last frame showed, and the reply in its footer: new lines or a new reply ask for a frame. */
    private OutputView shownOutput;
    private Object shownStatus;
    private long shownShape;
    private long latestShape;
    private long checkedSequence = -1;
    private int scroll;
    private boolean inputGone;
    private boolean fullRedraw = true;
    private boolean holding;
    private boolean drawFailureLogged;

    DashboardLoop(TerminalScreen screen, LoopHandle loop, LoopOrders orders, DashboardView view, OutputRings outputs,
                  EventInbox inbox, StatusLine status, LongSupplier clock, Runnable afterFrame,
                  Consumer<Throwable> onFailure) {
        this.screen = screen;
        this.loop = loop;
        this.orders = orders;
        this.view = view;
        this.outputs = outputs;
        this.inbox = inbox;
        this.status = status;
        this.clock = clock;
        this.afterFrame = afterFrame;
        this.onFailure = onFailure;
    }

    void start() {
        Thread t = new Thread(this, "sentinel-dashboard");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            screenLock.lock();
            try {
                if (restored) {
                    return;
                }
                screen.startScreen();
                // The dashboard writes its cells to the terminal itself (CellGrid), past the screen:
                // no cursor is wanted where the last change was written.
                screen.setCursorPosition(null);
                screen.getTerminal().setCursorVisible(false);
            } finally {
                screenLock.unlock();
            }
            if (screen.getTerminal() instanceof KeySignal k) {
                k.onKeys(this::unpark);
                keysSignalled = true;
            }
            // After the screen's own listener, which notes the new size this one wakes us to draw.
            screen.getTerminal().addResizeListener((terminal, size) -> wake());
            long nextFrame = 0;
            long lastFrame = Long.MIN_VALUE / 2;
            long lastFrameNanos = System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(NEWS_MILLIS);
            while (!restored) {
                long now = clock.getAsLong();
                boolean keyed = readKeys(now);
                if (finalPhase) {
                    if (!holding) {
                        holding = true;
                        keys.enterHold();
                        frameWanted = true;
                    }
                    if (holdEnded || now >= holdUntil) {
                        break;
                    }
                }
                if (screen.doResizeIfNecessary() != null) {
                    fullRedraw = true;
                    keyed = true;
                }
                // A key is answered at once; news (an event, output, a reply, a program's new
                // state) at most every NEWS_MILLIS, so a flood of output or events costs a bounded
                // number of frames; without either, the cadence redraws what the snapshots changed.
                // The gap is measured on the monotonic clock: it protects the CPU, whatever time the
                // dashboard's clock says it is.
                long sinceFrame = (System.nanoTime() - lastFrameNanos) / 1_000_000;
                boolean news = frameWanted || outputNews || newsSinceFrame(now);
                boolean newsDue = news && sinceFrame >= NEWS_MILLIS;
                if (keyed || newsDue || now >= nextFrame || now < lastFrame) {
                    frameWanted = false;
                    outputNews = false;
                    frame(now);
                    lastFrame = now;
                    lastFrameNanos = System.nanoTime();
                    nextFrame = now + cadence(loop.latest(), holding);
                    news = false;
                    sinceFrame = 0;
                }
                long wait = Math.min(nextFrame - now, news ? NEWS_MILLIS - sinceFrame : Long.MAX_VALUE);
                if (!keysSignalled) {
                    // Keys must be polled: at most POLL_MILLIS apart.
                    wait = Math.min(wait, POLL_MILLIS);
                }
                // At most one idle frame: a clock set back must not put the dashboard to sleep.
                wait = Math.max(1, Math.min(wait, IDLE_FRAME_MILLIS));
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            restore(TimeUnit.SECONDS.toMillis(2));
            // Before done: whoever waits for this thread finds the fallback already in place.
            if (failure != null) {
                try {
                    onFailure.accept(failure);
                } catch (RuntimeException e) {
                    LOG.warn("switching to log lines failed", e);
                }
            }
            done.countDown();
        }
    }

    /** Asks for a drawing soon (an event arrived); any thread, never blocks. */
    void wake() {
        frameWanted = true;
        unpark();
    }

    /**
     * The program {@code program} printed (null: the one program of single-command mode): a
     * frame soon if it is the selected one. The pump threads call this for every line, so it wakes
     * the dashboard thread only once until the next frame.
     */
    void outputArrived(String program) {
        String shown = selected;
        if ((program == null || shown == null || program.equals(shown)) && !outputNews) {
            outputNews = true;
            unpark();
        }
    }

    /**
     * The loop published {@code s} (on the loop thread): a frame soon if a program changed state,
     * pid, restarts or limit; anything else waits for the next tick.
     */
    void published(Snapshot s) {
        long h = shape(s);
        if (h != publishedShape) {
            publishedShape = h;
            wake();
        }
    }

    private void unpark() {
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /**
     * Shows the final state with {@code reason} for {@code holdMillis} (or until a key), then
     * restores the screen and ends the thread. Any thread.
     */
    void finish(long holdMillis, boolean untilKey, String reason) {
        finalReason = reason;
        holdUntilKey = untilKey;
        holdUntil = clock.getAsLong() + holdMillis;
        finalPhase = true;
        wake();
    }

    /** Ends the final hold now (a key, or a signal to Sentinel). Any thread. */
    void endHold() {
        holdEnded = true;
        wake();
    }

    /** Waits until the thread has ended and the screen is restored; false on timeout. */
    boolean awaitDone(long timeoutMillis) {
        try {
            return done.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether the thread was started and has not ended yet. */
    boolean running() {
        return thread != null && done.getCount() > 0;
    }

    /**
     * Events that never reached the screen because the terminal failed; for the fallback to write.
     * Call from the failure callback (the dashboard thread) only.
     */
    List<Event> unshownEvents() {
        return List.copyOf(unshown);
    }

    /** Whether q (or Ctrl-C) was pressed: then Sentinel exits without the final hold. */
    boolean quitRequested() {
        return quitRequested;
    }

    /**
     * Leaves the alternate screen and gives the terminal its settings back. Waits at most
     * {@code timeoutMillis} for a drawing in progress (a stuck terminal must not stop the exit).
     */
    boolean restore(long timeoutMillis) {
        try {
            if (!screenLock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            if (restored) {
                return true;
            }
            restored = true;
            try {
                screen.stopScreen();
            } catch (IOException | RuntimeException e) {
                LOG.debug("leaving the dashboard screen failed", e);
            }
            try {
                screen.getTerminal().close();
            } catch (IOException | RuntimeException e) {
                // IllegalStateException from Runtime.removeShutdownHook while the JVM shuts down,
                // after the terminal was restored.
                LOG.debug("closing the terminal failed", e);
            }
            return true;
        } finally {
            screenLock.unlock();
        }
    }

    /**
     * Whether something changed since the last frame that should show soon rather than at the
     * next tick: a program changed state (or pid, restarts, limit), the selected program printed,
     * or the footer's reply changed.
     */
    private boolean newsSinceFrame(long now) {
        Snapshot s = loop.latest();
        if (s.sequence() != checkedSequence) {
            checkedSequence = s.sequence();
            latestShape = shape(s);
        }
        OutputView o = shownOutput;
        return latestShape != shownShape || o != null && o.total() != lastOutputTotal
                || status.token(now) != shownStatus;
    }

    /** What a snapshot says about each program that must not wait for the next tick, folded into a number. */
    static long shape(Snapshot s) {
        long h = s.programs().size();
        for (ProgramSnapshot p : s.programs()) {
            h = 31 * h + p.name().hashCode();
            h = 31 * h + p.state().ordinal();
            h = 31 * h + p.pid();
            h = 31 * h + p.restarts();
            h = 31 * h + p.limit().bytes();
            h = 31 * h + p.exitStatus();
            h = 31 * h + (p.lastStop() == null ? -1 : p.lastStop().ordinal());
        }
        return h;
    }

    /**
     * How long until the next frame when nothing happens: a countdown on screen (a program in
     * BACKOFF, the final hold) is redrawn four times a second; otherwise the screen changes at
     * most once a second.
     */
    static long cadence(Snapshot s, boolean holding) {
        if (holding) {
            return FRAME_MILLIS;
        }
        for (ProgramSnapshot p : s.programs()) {
            if (p.state() == ProgramState.BACKOFF) {
                return FRAME_MILLIS;
            }
        }
        return IDLE_FRAME_MILLIS;
    }

    private boolean readKeys(long now) throws IOException {
        if (inputGone) {
            return false;
        }
        boolean any = false;
        for (int i = 0; i < 64; i++) {
            KeyStroke k = screen.pollInput();
            if (k == null) {
                break;
            }
            if (k.getKeyType() == KeyType.EOF) {
                inputGone = true;
                break;
            }
            any = true;
            act(keys.handle(k, selectedProgram(loop.latest())), now);
        }
        return any;
    }

    private void act(KeyHandler.Action a, long now) {
        switch (a) {
            case NONE -> {
            }
            case END_HOLD -> holdEnded = true;
            case REDRAW -> fullRedraw = true;
            case SCROLL_UP -> scroll = Math.min(scroll + SCROLL_STEP, Math.max(0, selectedOutput().size() - 1));
            case SCROLL_DOWN -> scroll = Math.max(0, scroll - SCROLL_STEP);
            case FOLLOW -> scroll = 0;
            case CANCELLED -> status.set("cancelled", now);
            case SELECT_UP -> select(-1);
            case SELECT_DOWN -> select(1);
            case TOGGLE_TREE -> treeShown = !treeShown;
            default -> {
                if (a == KeyHandler.Action.QUIT || a == KeyHandler.Action.KILL_NOW) {
                    quitRequested = true;
                }
                orders.send(a, keys.target());
            }
        }
    }

    /** Moves the selection {@code by} rows, staying within the table. */
    private void select(int by) {
        List<ProgramSnapshot> ps = loop.latest().programs();
        if (ps.isEmpty()) {
            return;
        }
        int i = Math.max(0, Math.min(ps.size() - 1, currentIndex(ps) + by));
        selected = ps.get(i).name();
        selectedIndex = i;
    }

    /**
     * Where the selected program is in {@code ps}. If it is gone (a reload removed it), the
     * program now at its place is selected instead.
     */
    private int currentIndex(List<ProgramSnapshot> ps) {
        if (ps.isEmpty()) {
            return 0;
        }
        int i = -1;
        for (int j = 0; j < ps.size() && selected != null; j++) {
            if (ps.get(j).name().equals(selected)) {
                i = j;
                break;
            }
        }
        if (i < 0) {
            i = Math.max(0, Math.min(ps.size() - 1, selectedIndex));
            selected = ps.get(i).name();
        }
        selectedIndex = i;
        return i;
    }

    private ProgramSnapshot selectedProgram(Snapshot s) {
        List<ProgramSnapshot> ps = s.programs();
        return ps.isEmpty() ? null : ps.get(currentIndex(ps));
    }

    private OutputView selectedOutput() {
        return outputs.view(selected);
    }

    private void frame(long now) throws IOException {
        Snapshot s = loop.latest();
        ProgramSnapshot p = selectedProgram(s);
        boolean many = Frame.manyPrograms(s);
        boolean tree = !many || treeShown;
        tracks.update(s, now, tree && p != null ? p.name() : null);
        if (many) {
            List<String> names = new ArrayList<>(s.programs().size());
            for (ProgramSnapshot x : s.programs()) {
                names.add(x.name());
            }
            outputs.retain(names);
        }
        inbox.drainTo(e -> {
            unshown.add(e);
            events.addLast(e);
            if (events.size() > EVENTS_KEPT) {
                events.removeFirst();
            }
        });
        OutputView output = selectedOutput();
        long total = output.total();
        if (!java.util.Objects.equals(outputOf, selected)) {
            // Another program's output: follow its newest line.
            outputOf = selected;
            scroll = 0;
        } else if (scroll > 0) {
            // Keep the lines the user scrolled to in place while new ones arrive.
            scroll = (int) Math.min(scroll + (total - lastOutputTotal), Math.max(0, output.size() - 1));
        }
        lastOutputTotal = total;
        shownOutput = output;
        shownStatus = status.token(now);
        shownShape = s.sequence() == checkedSequence ? latestShape : shape(s);
        ProgramTrack track = p == null ? noProgram : tracks.of(p.name(), s.programs().size());
        Frame f = frameOf(s, track, output, tree, now);
        screenLock.lock();
        try {
            if (restored) {
                return;
            }
            TerminalSize size = screen.getTerminalSize();
            if (grid == null || !grid.fits(size)) {
                grid = new CellGrid(size);
                shown = null;
            }
            grid.clear();
            TextGraphics g = grid.graphics();
            try {
                view.draw(g, f);
            } catch (RuntimeException e) {
                // A drawing bug must not take the guard's screen down: say so on screen, go on.
                if (!drawFailureLogged) {
                    drawFailureLogged = true;
                    LOG.warn("drawing the dashboard failed", e);
                }
                g.setForegroundColor(TextColor.ANSI.RED);
                g.putString(0, 0, Fmt.left("dashboard: drawing failed: " + e, g.getSize().getColumns()));
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            }
            if (shown == null || fullRedraw) {
                grid.writeTo(screen.getTerminal(), null);
                shown = grid.copy();
            } else {
                grid.writeTo(screen.getTerminal(), shown);
            }
            fullRedraw = false;
            unshown.clear();
        } finally {
            screenLock.unlock();
        }
        afterFrame.run();
    }

    private Frame frameOf(Snapshot s, ProgramTrack track, OutputView output, boolean tree, long now) {
        String hint = null;
        if (holding) {
            long left = Math.max(0, holdUntil - now);
            hint = holdUntilKey ? "press any key to exit" : "exiting in " + ((left + 999) / 1000) + "s · any key: now";
        }
        return new Frame(s, track.history(), track.cpu(), List.copyOf(events), output, scroll, keys.helpVisible(),
                keys.prompt(), status.current(now), holding ? finalReason : null, hint, keys.quitting(), now,
                new Selection(selected, tree, tableScroll));
    }
}
