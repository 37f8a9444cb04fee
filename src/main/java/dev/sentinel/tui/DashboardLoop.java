package dev.sentinel.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.screen.Screen;
import com.googlecode.lanterna.screen.TerminalScreen;
import dev.sentinel.core.Event;
import dev.sentinel.core.ProgramSnapshot;
import dev.sentinel.core.RunRecord;
import dev.sentinel.core.Snapshot;
import java.io.IOException;
import java.util.ArrayDeque;
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
 * The dashboard thread: polls keys every 50 ms, draws the latest snapshot four
 * times a second, and owns the screen (no other thread draws). The supervisor loop never waits
 * for it: it reads the loop's volatile snapshot and posts orders; a slow or stuck terminal only
 * slows this thread. The screen is restored however the thread ends; {@link #restore} may also be
 * called from elsewhere (close, the shutdown hook) and is idempotent.
 */
final class DashboardLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(DashboardLoop.class);
    static final long FRAME_MILLIS = 250;
    static final long POLL_MILLIS = 50;
    static final int EVENTS_KEPT = 200;
    static final int SCROLL_STEP = 10;

    private final TerminalScreen screen;
    private final LoopPort loop;
    private final LoopOrders orders;
    private final DashboardView view;
    private final OutputBuffer output;
    private final EventInbox inbox;
    private final StatusLine status;
    private final LongSupplier clock;
    private final Runnable afterFrame;
    private final Consumer<Throwable> onFailure;

    private final KeyHandler keys = new KeyHandler();
    private final RssHistory history = new RssHistory(7_200, 500);
    private final CpuMeter cpu = new CpuMeter(1_000);
    private final ArrayDeque<Event> events = new ArrayDeque<>();
    private final ReentrantLock screenLock = new ReentrantLock();
    private final CountDownLatch done = new CountDownLatch(1);

    private volatile Thread thread;
    private volatile boolean restored;
    private volatile boolean frameWanted = true;
    private volatile boolean finalPhase;
    private volatile boolean holdEnded;
    private volatile long holdUntil;
    private volatile boolean holdUntilKey;
    private volatile String finalReason;
    private volatile boolean quitRequested;

    /** Events taken from the inbox for a frame that has not reached the terminal yet. */
    private final List<Event> unshown = new java.util.ArrayList<>();
    private long lastSequence = -1;
    /** The newest run whose start the chart knows of (1 is the first start, not a restart). */
    private int markedRun;
    private long lastPid;
    private long lastOutputTotal;
    private int scroll;
    private boolean inputGone;
    private boolean fullRedraw = true;
    private boolean holding;
    private boolean drawFailureLogged;

    DashboardLoop(TerminalScreen screen, LoopPort loop, LoopOrders orders, DashboardView view, OutputBuffer output,
                  EventInbox inbox, StatusLine status, LongSupplier clock, Runnable afterFrame,
                  Consumer<Throwable> onFailure) {
        this.screen = screen;
        this.loop = loop;
        this.orders = orders;
        this.view = view;
        this.output = output;
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
            } finally {
                screenLock.unlock();
            }
            long nextFrame = 0;
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
                if (keyed || frameWanted || now >= nextFrame) {
                    frameWanted = false;
                    frame(now);
                    nextFrame = now + FRAME_MILLIS;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS));
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
            act(keys.handle(k, program(loop.latest())), now);
        }
        return any;
    }

    private void act(KeyHandler.Action a, long now) {
        switch (a) {
            case NONE -> {
            }
            case END_HOLD -> holdEnded = true;
            case REDRAW -> fullRedraw = true;
            case SCROLL_UP -> scroll = Math.min(scroll + SCROLL_STEP, Math.max(0, output.size() - 1));
            case SCROLL_DOWN -> scroll = Math.max(0, scroll - SCROLL_STEP);
            case FOLLOW -> scroll = 0;
            case CANCELLED -> status.set("cancelled", now);
            default -> {
                if (a == KeyHandler.Action.QUIT || a == KeyHandler.Action.KILL_NOW) {
                    quitRequested = true;
                }
                orders.send(a);
            }
        }
    }

    private void frame(long now) throws IOException {
        Snapshot s = loop.latest();
        ProgramSnapshot p = program(s);
        if (s.sequence() != lastSequence && p != null) {
            lastSequence = s.sequence();
            noteRestarts(p);
            history.record(s.epochMillis(), p.rssBytes());
            cpu.record(p.processes(), s.epochMillis());
        }
        if (p != null && p.pid() != 0 && !p.isUp()) {
            // The tree is gone (BACKOFF, or over) and the loop may publish nothing for a while: it
            // sleeps through a backoff. The chart shows 0 meanwhile, not the last run's RSS carried on.
            history.record(now, 0);
        }
        inbox.drainTo(e -> {
            unshown.add(e);
            events.addLast(e);
            if (events.size() > EVENTS_KEPT) {
                events.removeFirst();
            }
        });
        long total = output.total();
        if (scroll > 0) {
            // Keep the lines the user scrolled to in place while new ones arrive.
            scroll = (int) Math.min(scroll + (total - lastOutputTotal), Math.max(0, output.size() - 1));
        }
        lastOutputTotal = total;
        TerminalSize resized = screen.doResizeIfNecessary();
        if (resized != null) {
            fullRedraw = true;
        }
        screenLock.lock();
        try {
            if (restored) {
                return;
            }
            screen.clear();
            TextGraphics g = screen.newTextGraphics();
            try {
                view.draw(g, frameOf(s, now));
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
            screen.refresh(fullRedraw ? Screen.RefreshType.COMPLETE : Screen.RefreshType.DELTA);
            fullRedraw = false;
            unshown.clear();
        } finally {
            screenLock.unlock();
        }
        afterFrame.run();
    }

    /**
     * Marks on the chart each run that started since the last snapshot seen, at the time it
     * started. The history names every run, so runs that came and went between two frames (a
     * crash loop without delay) are marked too; a snapshot without history shows a restart only as
     * a new pid.
     */
    private void noteRestarts(ProgramSnapshot p) {
        if (p.history().isEmpty()) {
            if (p.pid() != 0 && lastPid != 0 && p.pid() != lastPid) {
                history.restartAt(p.startedEpochMillis());
            }
        } else {
            for (RunRecord r : p.history()) {
                if (r.run() > markedRun) {
                    markedRun = r.run();
                    if (r.run() > 1) {
                        history.restartAt(r.startedEpochMillis());
                    }
                }
            }
        }
        if (p.pid() != 0) {
            lastPid = p.pid();
        }
    }

    private Frame frameOf(Snapshot s, long now) {
        String hint = null;
        if (holding) {
            long left = Math.max(0, holdUntil - now);
            hint = holdUntilKey ? "press any key to exit" : "exiting in " + ((left + 999) / 1000) + "s · any key: now";
        }
        return new Frame(s, history, cpu, List.copyOf(events), output, scroll, keys.helpVisible(), keys.prompt(),
                status.current(now), holding ? finalReason : null, hint, keys.quitting(), now);
    }

    private static ProgramSnapshot program(Snapshot s) {
        return s.programs().isEmpty() ? null : s.programs().get(0);
    }
}
