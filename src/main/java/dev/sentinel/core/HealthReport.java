package dev.sentinel.core;

import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.settings.Readiness;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the guarded programs are ready, in the words the socket's {@code health} and the metrics
 * port's {@code /readyz} share, so that a probe over HTTP and a script over the socket never
 * disagree. Pure: a function of the programs of one snapshot.
 *
 * <p>A program counts when it should be running ({@link ProgramSnapshot.Health#expected()}): one
 * stopped by an order, or ended cleanly with nothing to restart it, is not ready and does not count
 * (Kubernetes would otherwise take a pod out of service for a cron job that finished).
 */
public final class HealthReport {

    /** Longer reasons are cut: a probe's answer and an {@code ERR} line stay short. */
    public static final int MAX_WHY = 120;
    /** More programs than this are counted, not named, in the one-line summary. */
    public static final int MAX_NAMED = 10;

    private HealthReport() {
    }

    /** Whether {@code p} counts and is not ready. */
    public static boolean failing(ProgramSnapshot p) {
        return p.health().expected() && !p.health().ready();
    }

    /** True when every program that should run is ready (also when none should). */
    public static boolean ready(List<ProgramSnapshot> programs) {
        for (ProgramSnapshot p : programs) {
            if (failing(p)) {
                return false;
            }
        }
        return true;
    }

    /** The programs that count and are not ready, in the snapshot's order. */
    public static List<ProgramSnapshot> notReady(List<ProgramSnapshot> programs) {
        List<ProgramSnapshot> out = new ArrayList<>();
        for (ProgramSnapshot p : programs) {
            if (failing(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Why {@code p} is not ready, on one line ({@code check failing: HTTP 500}, {@code BACKOFF}),
     * or null when it is. The program's own reason when the loop gave one; otherwise one made from
     * its check and its state.
     */
    public static String why(ProgramSnapshot p) {
        ProgramSnapshot.Health h = p.health();
        if (h.ready()) {
            return null;
        }
        String why = h.notReadyWhy();
        if (why == null || why.isBlank()) {
            why = fallback(p);
        }
        return oneLine(why, MAX_WHY);
    }

    private static String fallback(ProgramSnapshot p) {
        ProgramSnapshot.Health h = p.health();
        if (ProgramSnapshot.Health.FAILING.equals(h.check())) {
            return "check failing" + (h.lastCheck() == null ? "" : ": " + h.lastCheck());
        }
        if (p.state() != ProgramState.RUNNING && p.state() != ProgramState.STARTING) {
            return p.state().name();
        }
        Readiness r = p.settings().health().ready();
        return r == Readiness.NOTIFY ? "waiting for READY=1" : r == Readiness.CHECK ? "waiting for its check to pass"
                : "starting";
    }

    /**
     * The programs not ready, for one line: {@code web (check failing: HTTP 500), db (BACKOFF)},
     * at most {@link #MAX_NAMED} named and the rest counted ({@code and 4 more}).
     */
    public static String listing(List<ProgramSnapshot> notReady) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < notReady.size() && i < MAX_NAMED; i++) {
            ProgramSnapshot p = notReady.get(i);
            b.append(i == 0 ? "" : ", ").append(oneLine(p.name(), MAX_WHY)).append(" (").append(why(p)).append(')');
        }
        if (notReady.size() > MAX_NAMED) {
            b.append(" and ").append(notReady.size() - MAX_NAMED).append(" more");
        }
        return b.toString();
    }

    /**
     * {@code NAME: ready}, {@code NAME: not ready (WHY)}, or for a program that does not count
     * {@code NAME: not ready (WHY), not expected to run}: one program in {@code /readyz?verbose}.
     */
    public static String verboseLine(ProgramSnapshot p) {
        String name = oneLine(p.name(), MAX_WHY);
        if (p.health().ready()) {
            return name + ": ready";
        }
        return name + ": not ready (" + why(p) + ")" + (p.health().expected() ? "" : ", not expected to run");
    }

    /**
     * {@code text} on one line, for answers read by people and scripts line by line: control
     * characters (a newline a program put in its {@code STATUS=}) become blanks, and past
     * {@code max} characters it is cut with an ellipsis.
     */
    public static String oneLine(String text, int max) {
        StringBuilder b = new StringBuilder(Math.min(text.length(), max + 1));
        int count = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (count == max) {
                b.setLength(b.length() - Character.charCount(b.codePointBefore(b.length())));
                b.append('\u2026');
                break;
            }
            boolean control = Character.isISOControl(cp) || cp == 0x2028 || cp == 0x2029;
            b.appendCodePoint(control ? ' ' : cp);
            count++;
        }
        return b.toString();
    }
}
