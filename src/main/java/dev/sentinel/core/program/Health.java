package dev.sentinel.core.program;

import dev.sentinel.events.EventSink;
import dev.sentinel.platform.health.NotifyDatagram;
import dev.sentinel.platform.health.Probe;
import dev.sentinel.platform.health.ProbeResult;
import dev.sentinel.settings.AddressType;
import dev.sentinel.settings.CheckAction;
import dev.sentinel.settings.CheckLevel;
import dev.sentinel.settings.CheckSettings;
import dev.sentinel.settings.HealthSettings;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.Readiness;
import dev.sentinel.time.Clock;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongPredicate;

/**
 * Whether a running program works, beyond that it runs: its check (run off the loop, one at a
 * time, its verdict after {@code threshold} failures in a row), what it says over its notify
 * socket ({@code READY=1}, {@code STATUS=}, {@code WATCHDOG=1}, {@code STOPPING=1}), its watchdog
 * and its ready timeout, and from all these whether it is ready. The {@link Program} asks it at
 * each tick of a run and acts on the {@link Verdict}; it emits the health events itself (ready,
 * not-ready, check-failed, check-passed). Loop thread only, but for the check's result, which a
 * prober thread leaves in a mailbox.
 */
final class Health {

    /** Before a run's check first passes, it runs at least this often: readiness is seen within a second. */
    static final long FAST_CHECK_NANOS = 1_000_000_000L;
    private static final long NEVER = Long.MAX_VALUE;
    /** The most a due check waits for a sample's tick to start it. */
    private static final long SLACK_NANOS = 250_000_000L;
    private static final int STATUS_CHARS = 200;
    private static final String PASSING = ProgramSnapshot.Health.PASSING;
    private static final String FAILING = ProgramSnapshot.Health.FAILING;

    /** What the program must do about its health now. */
    enum Verdict {
        NONE,
        /** The alive-level check failed {@code threshold} times: restart it as a failure. */
        CHECK_RESTART,
        /** The alive-level check failed, and {@code on_failure = "stop"}: stop it for good. */
        CHECK_STOP,
        /** No {@code WATCHDOG=1} in time, or {@code WATCHDOG=trigger}. */
        WATCHDOG,
        /** Not ready within {@code ready_timeout}. */
        READY_TIMEOUT
    }

    private record Finished(int run, ProbeResult result) {
    }

    private final HealthSettings settings;
    private final CheckSettings check;
    private final Probe probe;
    private final HealthLinks links;
    private final Clock clock;
    private final EventSink events;
    private final Wording words;
    private final Runnable wakeup;
    private final AtomicReference<Finished> finished = new AtomicReference<>();
    /** Nothing to ask at a tick: readiness is the start's, and nothing can change it. */
    private final boolean unwatched;

    // The run's: set again at each start.
    private int run;
    private long startedNanos;
    private boolean active;
    private boolean inFlight;
    private long nextCheckNanos = NEVER;
    private String verdict;
    private int inARow;
    private boolean passedThisRun;
    private boolean notifiedReady;
    private String stoppingWhy;
    private long watchdogNanos = NEVER;
    private long readyByNanos = NEVER;
    private boolean ready;
    private boolean everReady;
    private long readySinceEpochMillis;
    private String lastFailure;

    // The program's, over all runs.
    private long checkFailures;
    private String lastCheck;
    private String notifyStatus;
    private long strangers;

    Health(ProgramSettings program, HealthLinks links, Clock clock, EventSink events, Wording words,
           Runnable wakeup) {
        this.settings = program.health();
        this.check = settings.check();
        this.links = links;
        this.clock = clock;
        this.events = events;
        this.words = words;
        this.wakeup = wakeup;
        this.probe = probeOf(program);
        this.unwatched = probe == null && links.inbox() == null && settings.watchdog().isZero()
                && settings.readyTimeout().isZero();
        if (links.inbox() != null) {
            links.inbox().wakeWith(wakeup);
        }
    }

    private static Probe probeOf(ProgramSettings p) {
        CheckSettings c = p.health().check();
        return switch (c.kind()) {
            case HTTP -> new Probe.Http(URI.create(c.target()));
            case TCP -> {
                AddressType.HostPort hp = AddressType.HostPort.parse(c.target());
                yield new Probe.Tcp(hp.host(), hp.port());
            }
            case EXEC -> new Probe.Exec(c.exec(), p.cwd(), p.env());
            case NONE -> null;
        };
    }

    HealthLinks links() {
        return links;
    }

    /** Whether Sentinel says more about this program than that it runs (and so emits ready events). */
    boolean watched() {
        return settings.watched();
    }

    /** A run began: nothing is known of its health yet; the first check comes soon. */
    void startRun(int number, long now, long epochMillis) {
        run = number;
        startedNanos = now;
        active = true;
        inFlight = false;
        finished.set(null);
        verdict = null;
        inARow = 0;
        passedThisRun = false;
        notifiedReady = false;
        stoppingWhy = null;
        lastFailure = null;
        everReady = false;
        readySinceEpochMillis = 0;
        nextCheckNanos = probe != null && links.prober() != null ? now + fastPeriodNanos() : NEVER;
        watchdogNanos = settings.watchdog().isZero() ? NEVER : now + settings.watchdog().toNanos();
        readyByNanos = settings.readyTimeout().isZero() ? NEVER : now + settings.readyTimeout().toNanos();
        if (links.inbox() != null) {
            links.inbox().drain();
        }
        ready = false;
        if (settings.ready() == Readiness.STARTED && probe == null) {
            // Nothing else to wait for: ready as it starts, and the started event says so.
            ready = true;
            everReady = true;
            readySinceEpochMillis = epochMillis;
        } else {
            settle(now);
        }
    }

    /**
     * A reload changed the check of a ready program: it stays ready (nobody that requires it is
     * stopped for a reload) until the new check says otherwise.
     */
    void carryReadiness(long epochMillis) {
        ready = true;
        everReady = true;
        passedThisRun = true;
        notifiedReady = true;
        readySinceEpochMillis = epochMillis;
    }

    /** The run's main process: from now on datagrams from its descendants count. */
    void speaker(long mainPid) {
        if (links.inbox() != null) {
            links.inbox().speakerIs(mainPid);
        }
    }

    /** The run is being stopped or is over: not ready, no more checks; a late check result is dropped. */
    void stopRun() {
        active = false;
        ready = false;
        readySinceEpochMillis = 0;
        nextCheckNanos = NEVER;
        watchdogNanos = NEVER;
        readyByNanos = NEVER;
    }

    /**
     * A tick of a running tree: what the socket said and the check found, what is due, and what
     * the program must do.
     *
     * @param owns whether a pid belongs to the program's tree (datagrams from others are ignored)
     */
    Verdict step(long now, LongPredicate owns) {
        if (!active || unwatched) {
            // Most programs: no check, no socket, no deadline; every tick of theirs comes here.
            return Verdict.NONE;
        }
        Verdict v = Verdict.NONE;
        if (links.inbox() != null) {
            v = heard(now, owns);
        }
        Finished f = finished.getAndSet(null);
        if (f != null && f.run() == run) {
            inFlight = false;
            Verdict c = judge(now, f.result());
            v = v == Verdict.NONE ? c : v;
        }
        if (!inFlight && now >= nextCheckNanos) {
            launchCheck(now);
        }
        if (v == Verdict.NONE && now >= watchdogNanos) {
            v = Verdict.WATCHDOG;
        }
        if (v == Verdict.NONE && !everReady && now >= readyByNanos) {
            v = Verdict.READY_TIMEOUT;
        }
        settle(now);
        return v;
    }

    /** The earliest moment a step has something to do (monotonic nanos), NEVER for nothing. */
    long nextWakeNanos() {
        if (!active) {
            return NEVER;
        }
        long next = Math.min(watchdogNanos, everReady ? NEVER : readyByNanos);
        return inFlight ? next : Math.min(next, saturatingAdd(nextCheckNanos, slackNanos()));
    }

    /**
     * How late a due check may start: it rides on the loop's next sample instead of waking the
     * loop itself (fifty programs' checks would otherwise wake it fifty times a period), at most
     * a quarter of a second or a tenth of the period late. Until the first pass there is none.
     */
    private long slackNanos() {
        return passedThisRun ? Math.min(SLACK_NANOS, check.period().toNanos() / 10) : 0;
    }

    private static long saturatingAdd(long a, long b) {
        return a > NEVER - b ? NEVER : a + b;
    }

    /** A sentence for why the verdict, for the stop's event. */
    String why(Verdict v) {
        return switch (v) {
            case CHECK_RESTART, CHECK_STOP -> words.checkFailedWhy(inARow, lastFailure);
            case WATCHDOG -> words.watchdogWhy(settings.watchdog());
            case READY_TIMEOUT -> words.readyTimeoutWhy(settings.readyTimeout());
            case NONE -> "";
        };
    }

    /** Whether the run is ready now (the program asks its state too). */
    boolean ready() {
        return active && ready;
    }

    /** @param waitingFor what a WAITING program waits for, or null */
    ProgramSnapshot.Health snapshot(ProgramState state, boolean expected, String waitingFor) {
        boolean up = state == ProgramState.RUNNING || state == ProgramState.STARTING;
        boolean isReady = up && ready;
        String why = isReady ? null : waitingFor != null ? "WAITING for " + waitingFor : notReadyWhy(state);
        return new ProgramSnapshot.Health(isReady, expected, active ? verdict : null, checkFailures, inARow,
                lastCheck, notifyStatus, isReady ? readySinceEpochMillis : 0, why);
    }

    private String notReadyWhy(ProgramState state) {
        if (!active || !(state == ProgramState.RUNNING || state == ProgramState.STARTING)) {
            return state.name();
        }
        if (stoppingWhy != null) {
            return stoppingWhy;
        }
        if (ProgramSnapshot.Health.FAILING.equals(verdict)) {
            return "check failing: " + lastFailure;
        }
        return switch (settings.ready()) {
            case CHECK -> lastFailure == null ? "check not passed yet" : "check not passed yet: " + lastFailure;
            case NOTIFY -> "no READY=1 yet";
            case STARTED -> "starting";
        };
    }

    // ---- the check

    private long fastPeriodNanos() {
        return Math.min(check.period().toNanos(), FAST_CHECK_NANOS);
    }

    private void launchCheck(long now) {
        inFlight = true;
        int forRun = run;
        // Fast until the first pass of the run (readiness is seen within a second), then each period.
        nextCheckNanos = now + (passedThisRun ? check.period().toNanos() : fastPeriodNanos());
        // A pass that changes nothing waits for the loop's next tick (a sample comes within the
        // interval); waking the loop for each one cost it a turn per check (issue #19's bench).
        boolean quietIfPassing = PASSING.equals(verdict) && inARow == 0;
        links.prober().run(probe, check.timeout(), r -> {
            finished.set(new Finished(forRun, r));
            if (!(r.passed() && quietIfPassing)) {
                wakeup.run();
            }
        });
    }

    private boolean inStartPeriod(long now) {
        return !passedThisRun && now - startedNanos < check.startPeriod().toNanos();
    }

    private Verdict judge(long now, ProbeResult r) {
        lastCheck = r.detail();
        if (r.passed()) {
            inARow = 0;
            boolean first = !passedThisRun;
            passedThisRun = true;
            if (!PASSING.equals(verdict)) {
                String was = verdict;
                verdict = PASSING;
                if (first || was != null) {
                    events.emit(words.checkPassed(clock.epochMillis(), run, check, r.detail(), was != null));
                }
            }
            return Verdict.NONE;
        }
        checkFailures++;
        lastFailure = r.detail();
        if (inStartPeriod(now)) {
            // Docker's start-period: a slow start is not a failure yet.
            return Verdict.NONE;
        }
        if (!passedThisRun && check.period().toNanos() > FAST_CHECK_NANOS) {
            // Checked fast before the first pass: only failures a period apart count, as they would have.
            if (now - startedNanos < (long) inARow * check.period().toNanos()) {
                return Verdict.NONE;
            }
        }
        inARow++;
        if (inARow < check.threshold() || FAILING.equals(verdict)) {
            return Verdict.NONE;
        }
        verdict = FAILING;
        Verdict v = check.level() == CheckLevel.READY ? Verdict.NONE : switch (check.onFailure()) {
            case RESTART -> Verdict.CHECK_RESTART;
            case STOP -> Verdict.CHECK_STOP;
            case IGNORE -> Verdict.NONE;
        };
        events.emit(words.checkFailed(clock.epochMillis(), run, check, r.detail(), inARow, actionWord(v)));
        return v;
    }

    private String actionWord(Verdict v) {
        if (check.level() == CheckLevel.READY) {
            return "not-ready";
        }
        return v == Verdict.NONE ? CheckAction.IGNORE.word() : check.onFailure().word();
    }

    // ---- the notify socket

    private Verdict heard(long now, LongPredicate owns) {
        Verdict v = Verdict.NONE;
        for (NotifyInbox.Heard heard : links.inbox().drain()) {
            NotifyDatagram d = heard.datagram();
            if (d.pid() <= 0 || !heard.fromTheTree() && !owns.test(d.pid())) {
                if (strangers++ == 0) {
                    events.emit(words.notifyStranger(clock.epochMillis(), run, d.pid()));
                }
                continue;
            }
            for (String line : d.text().split("\n")) {
                int eq = line.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String key = line.substring(0, eq);
                String value = line.substring(eq + 1);
                switch (key) {
                    case "READY" -> {
                        if (value.equals("1")) {
                            notifiedReady = true;
                            stoppingWhy = null;
                        }
                    }
                    case "RELOADING" -> {
                        if (value.equals("1")) {
                            notifiedReady = false;
                            stoppingWhy = "reloading (RELOADING=1)";
                        }
                    }
                    case "STOPPING" -> {
                        if (value.equals("1")) {
                            stoppingWhy = "stopping (STOPPING=1)";
                        }
                    }
                    case "STATUS" -> notifyStatus = clean(value);
                    case "WATCHDOG" -> {
                        if (value.equals("1") && !settings.watchdog().isZero()) {
                            watchdogNanos = now + settings.watchdog().toNanos();
                        } else if (value.equals("trigger")) {
                            v = Verdict.WATCHDOG;
                        }
                    }
                    default -> {
                        // MAINPID, ERRNO, FDSTORE and the rest: systemd's own business, not Sentinel's.
                    }
                }
            }
        }
        return v;
    }

    private static String clean(String text) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), STATUS_CHARS));
        for (int i = 0; i < text.length() && b.length() < STATUS_CHARS; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return b.toString().strip();
    }

    // ---- readiness

    /** Works out readiness from what is known; each change is one event. */
    private void settle(long now) {
        boolean base = switch (settings.ready()) {
            case STARTED -> true;
            case CHECK -> passedThisRun;
            case NOTIFY -> notifiedReady;
        };
        boolean readyNow = active && base && stoppingWhy == null && !FAILING.equals(verdict);
        if (readyNow == ready) {
            return;
        }
        ready = readyNow;
        if (ready) {
            readySinceEpochMillis = clock.epochMillis();
            boolean first = !everReady;
            everReady = true;
            events.emit(words.ready(readySinceEpochMillis, run, settings.ready(), now - startedNanos, first));
        } else {
            readySinceEpochMillis = 0;
            events.emit(words.notReady(clock.epochMillis(), run, notReadyWhy(ProgramState.RUNNING)));
        }
    }
}
