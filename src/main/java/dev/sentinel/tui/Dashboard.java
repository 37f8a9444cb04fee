package dev.sentinel.tui;

import dev.sentinel.settings.TuiMode;
import com.googlecode.lanterna.screen.TerminalScreen;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventSink;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopExtension;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.core.LoopHandle;
import dev.sentinel.time.TimeOfDay;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.Libc;
import dev.sentinel.platform.OutputSink;
import dev.sentinel.platform.SignalTrap;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live Lanterna dashboard: header, process table, usage bar, memory chart, events, the
 * child's output, and keys that give orders to the supervisor loop. With several programs (config
 * mode) a table of them comes first; the rest follows the selected one, and the keys act on it.
 *
 * <p>Threads: {@link #emit} runs on the supervisor loop and only enqueues; the output sink runs
 * on the pump threads and only appends to the program's ring (and to the log file); drawing and keys
 * belong to one daemon thread ({@link DashboardLoop}), which reads the loop's published snapshot
 * and posts orders. So the loop never waits for the terminal, and a slow terminal never delays a
 * kill.
 *
 * <p>When the loop ends (the tree is gone), {@link #close} shows the final state and its reason
 * for a moment ({@code --tui auto}: two seconds; {@code --tui always}: until a key), then restores
 * the terminal and prints the final lifecycle line on stderr. There is no hold after {@code q} or
 * when a signal stopped Sentinel. If no terminal can be taken over, or the dashboard thread
 * fails, the dashboard turns into the headless lifecycle lines on stderr (and the child's output
 * goes to stdout and stderr) and the guard goes on.
 */
public final class Dashboard implements LoopExtension, EventSink {

    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    static final long AUTO_HOLD_MILLIS = 2_000;
    /** {@code --tui always} holds until a key, but not forever: a walked-away user gets the exit. */
    static final long ALWAYS_HOLD_MILLIS = 600_000;

    /** What differs between the real terminal and tests. */
    record Options(TerminalOpener opener, boolean redirectStdStreams, long autoHoldMillis, long alwaysHoldMillis,
                   ZoneId zone, LongSupplier clock, Consumer<Runnable> onSignalDuringHold, PrintStream out,
                   PrintStream err) {
    }

    private final UiSettings settings;
    private final Options options;
    private final OutputRings outputs = new OutputRings();
    private final EventInbox inbox = new EventInbox();
    private final StatusLine status = new StatusLine();
    private final LogFile logFile;

    private volatile DashboardLoop loop;
    private volatile HeadlessReporter fallback;
    private LoopHandle port;
    private PrintStream savedOut;
    private PrintStream savedErr;
    private Thread shutdownHook;
    private boolean started;
    private boolean closed;

    /**
     * @throws LaunchException (exit status 2) when {@code --log-file} cannot be opened for appending
     */
    public Dashboard(UiSettings settings) throws LaunchException {
        this(settings, new Options(null, true, AUTO_HOLD_MILLIS, ALWAYS_HOLD_MILLIS, ZoneId.systemDefault(),
                System::currentTimeMillis, r -> SignalTrap.install(s -> r.run()), System.out, System.err));
    }

    Dashboard(UiSettings settings, Options options) throws LaunchException {
        this.settings = settings;
        this.options = options;
        if (settings.logFile() != null) {
            try {
                logFile = LogFile.open(settings.logFile());
            } catch (IOException | RuntimeException e) {
                throw new LaunchException("cannot open the log file " + settings.logFile() + " for appending: "
                        + why(e) + ".", 2);
            }
        } else {
            logFile = null;
        }
    }

    /**
     * Receives the output of the one program of single-command mode (stdin is /dev/null in
     * dashboard mode); called on the pump threads. Its lines are shown for any program without a
     * sink of its own, and go to the log file as printed.
     */
    public OutputSink outputSink() {
        return sink(null);
    }

    /**
     * Receives the output of {@code program} (config mode: one sink per program, from its pump
     * threads); its pane shows these lines when it is selected. In the log file each line comes
     * after the program's name ({@code web | listening on :8080}), as the headless lines do.
     */
    public OutputSink outputSink(String program) {
        return sink(java.util.Objects.requireNonNull(program, "program"));
    }

    private OutputSink sink(String program) {
        return (stream, text) -> {
            String named = program == null ? text : program + " | " + text;
            if (logFile != null) {
                logFile.line(named);
            }
            if (fallback != null) {
                PrintStream to = stream == OutputSink.Stream.STDOUT ? originalOut() : originalErr();
                to.println(named);
            } else {
                OutputBuffer ring = program == null ? outputs.unnamed() : outputs.of(program);
                ring.add(stream == OutputSink.Stream.STDOUT ? OutputLine.Source.STDOUT : OutputLine.Source.STDERR,
                        text);
                DashboardLoop l = loop;
                if (l != null) {
                    l.outputArrived(program);
                }
            }
        };
    }

    /** Starts drawing; orders from the keyboard go to the loop through {@code loop.post}. */
    public synchronized void start(LoopHandle port) {
        if (started || closed) {
            return;
        }
        started = true;
        this.port = port;
        TerminalOpener opener = options.opener() != null ? options.opener()
                : new TtyTerminalOpener(new Libc().isTerminal(1));
        TerminalScreen screen;
        try {
            screen = opener.open();
        } catch (NoTerminalException e) {
            options.err().println("sentinel: " + e.getMessage() + "; showing log lines instead.");
            options.err().flush();
            fallBack(new HeadlessReporter(originalErr(), TimeOfDay.in(options.zone())));
            return;
        }
        if (options.redirectStdStreams()) {
            savedOut = System.out;
            savedErr = System.err;
            PrintStream own = new PrintStream(new LineStream(l -> outputs.sentinel().add(OutputLine.Source.SENTINEL, l)),
                    true, StandardCharsets.UTF_8);
            System.setOut(own);
            System.setErr(own);
        }
        DashboardLoop l = new DashboardLoop(screen, port, new LoopOrders(port, status, options.clock()),
                new DashboardView(options.zone()), outputs, inbox, status, options.clock(), this::afterFrame,
                this::onLoopFailure);
        loop = l;
        status.onChange(l::wake);
        shutdownHook = new Thread(() -> l.restore(300), "sentinel-dashboard-restore");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        l.start();
    }

    @Override
    public void emit(Event event) {
        HeadlessReporter fb = fallback;
        if (fb != null) {
            fb.emit(event);
            return;
        }
        inbox.offer(event);
        fb = fallback;
        if (fb != null) {
            // The dashboard failed while this event was on its way: the fallback may have drained
            // the inbox before the event arrived in it.
            inbox.drainTo(fb::emit);
            return;
        }
        DashboardLoop l = loop;
        if (l != null) {
            l.wake();
        }
    }

    /** On the loop thread after each tick: a program's new state is drawn at once, not at the next tick. */
    @Override
    public void afterTick(Snapshot snapshot) {
        DashboardLoop l = loop;
        if (l != null) {
            l.published(snapshot);
        }
    }

    @Override
    public void attach(LoopContext context) {
        // Nothing to register: the dashboard reads snapshots and posts orders from its own thread.
    }

    /**
     * Shows the final state for a moment, then restores the terminal. Safe to call more than once
     * and from any thread; the first call does the work, later ones return at once.
     */
    @Override
    public void close() {
        DashboardLoop l;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            l = loop;
        }
        List<String> summary = List.of();
        if (l != null && l.running()) {
            Snapshot last = port.latest();
            Ending ending = Frame.manyPrograms(last)
                    ? endingOfAll(last, l.quitRequested()) : endingOf(last, l.quitRequested());
            if (ending.holdMillis() > 0) {
                options.onSignalDuringHold().accept(l::endHold);
            }
            l.finish(ending.holdMillis(), settings.mode() == TuiMode.ALWAYS, ending.reason());
            if (!l.awaitDone(ending.holdMillis() + 3_000)) {
                l.restore(500);
            }
            summary = ending.lines();
        } else if (l != null) {
            l.restore(500);
        }
        removeShutdownHook();
        restoreStdStreams();
        if (logFile != null) {
            logFile.close();
        }
        if (!summary.isEmpty() && fallback == null) {
            for (String line : summary) {
                options.err().println(line);
            }
            options.err().flush();
        }
        HeadlessReporter fb = fallback;
        if (fb != null) {
            fb.close();
        }
    }

    /**
     * How Sentinel's end is shown: how long the final state stays, the reason in its box, and the
     * lines printed on stderr once the terminal is restored.
     */
    private record Ending(long holdMillis, String reason, List<String> lines) {
    }

    /** One program: its end, as the single-command dashboard has always shown it. */
    private Ending endingOf(Snapshot last, boolean quitRequested) {
        ProgramSnapshot p = last.programs().isEmpty() ? null : last.programs().get(0);
        Event end = endOf(p, last.events());
        String reason = end == null
                ? p == null ? "Sentinel is exiting" : p.name() + " " + p.state().name().toLowerCase(Locale.ROOT)
                : end.kind() == EventKind.GAVE_UP ? p.name() + ": Sentinel " + end.message()
                : p.name() + " " + end.message();
        return new Ending(holdMillis(p, quitRequested), reason, end == null ? List.of() : List.of(line(end)));
    }

    /**
     * Several programs: held as one program's end is, once every program is over; the box counts
     * them by state and names those Sentinel gave up on; stderr gets each program's end.
     */
    private Ending endingOfAll(Snapshot last, boolean quitRequested) {
        List<ProgramSnapshot> ps = last.programs();
        boolean over = !ps.isEmpty();
        boolean signalled = false;
        List<String> gaveUp = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (ProgramSnapshot p : ps) {
            over &= p.state().isFinal();
            signalled |= p.lastStop() == StopReason.SIGNAL;
            if (p.state() == ProgramState.FATAL) {
                gaveUp.add(p.name());
            }
            Event end = endOf(p, last.events());
            if (end != null) {
                lines.add(line(end));
            }
        }
        String reason = !over ? "Sentinel is exiting"
                : DashboardView.countByState(ps)
                        + (gaveUp.isEmpty() ? "" : "; Sentinel gave up on " + String.join(", ", gaveUp));
        long hold = quitRequested || !over || signalled ? 0
                : settings.mode() == TuiMode.ALWAYS ? options.alwaysHoldMillis() : options.autoHoldMillis();
        return new Ending(hold, reason, lines);
    }

    /** An event as the lifecycle line printed once the terminal is restored. */
    private String line(Event e) {
        return TimeOfDay.in(options.zone()).format(e.epochMillis()) + " sentinel[" + e.program() + "]: " + e.message();
    }

    /**
     * How long to show the final state once the program is over (EXITED, or FATAL when Sentinel
     * gave up on it): not after q, nor when a signal stopped Sentinel.
     */
    long holdMillis(ProgramSnapshot p, boolean quitRequested) {
        if (quitRequested || p == null || !p.state().isFinal() || p.lastStop() == StopReason.SIGNAL) {
            return 0;
        }
        return settings.mode() == TuiMode.ALWAYS ? options.alwaysHoldMillis() : options.autoHoldMillis();
    }

    private static String why(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "its directory does not exist";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return String.valueOf(e.getMessage());
    }

    /**
     * The event that says how the program ended: after FATAL the newest GAVE_UP (it names the last
     * run's status too), after EXITED the newest EXITED; null while it is not over.
     */
    private static Event endOf(ProgramSnapshot p, List<Event> events) {
        if (p == null || !p.state().isFinal()) {
            return null;
        }
        if (p.state() == ProgramState.FATAL) {
            Event gaveUp = RestartText.lastGaveUp(events, p.name());
            if (gaveUp != null) {
                return gaveUp;
            }
        }
        return RestartText.last(events, EventKind.EXITED, p.name());
    }

    private void afterFrame() {
        if (logFile != null) {
            logFile.flush();
            String error = logFile.error();
            if (error != null && status.current(options.clock().getAsLong()) == null) {
                status.set(error, options.clock().getAsLong());
            }
        }
    }

    /** The dashboard thread died: go on as headless lines, say why once. */
    private void onLoopFailure(Throwable t) {
        restoreStdStreams();
        HeadlessReporter fb = new HeadlessReporter(originalErr(), TimeOfDay.in(options.zone()));
        DashboardLoop l = loop;
        if (l != null) {
            l.unshownEvents().forEach(fb::emit);
        }
        fallBack(fb);
        LOG.error("the dashboard failed and is switched off; Sentinel goes on guarding and writes log lines", t);
    }

    /**
     * Publishes {@code fb} (not yet started, holding any older events) before it writes a line:
     * whoever sees a fallback line on stderr then also sees the child's output go to stdout rather
     * than to the dead dashboard's buffer.
     */
    private void fallBack(HeadlessReporter fb) {
        fallback = fb;
        inbox.drainTo(fb::emit);
        fb.start();
    }

    private synchronized void restoreStdStreams() {
        if (savedOut != null) {
            System.out.flush();
            System.setOut(savedOut);
            System.setErr(savedErr);
            savedOut = null;
            savedErr = null;
        }
    }

    private synchronized PrintStream originalOut() {
        return savedOut != null ? savedOut : options.out();
    }

    private synchronized PrintStream originalErr() {
        return savedErr != null ? savedErr : options.err();
    }

    private void removeShutdownHook() {
        Thread hook = shutdownHook;
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down: the hook runs (or ran) and restores once more, harmlessly
            }
            shutdownHook = null;
        }
    }
}
