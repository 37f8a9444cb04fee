package dev.sentinel.tui;

import com.googlecode.lanterna.TextColor;
import dev.sentinel.core.HealthReport;
import dev.sentinel.core.program.ProgramSnapshot;
import java.util.List;

/**
 * What the dashboard says about readiness, the same words in every pane. Only about programs whose
 * health Sentinel watches (a check, or a readiness other than {@code started}): for the others
 * ready means running, which the state already says, so nothing is added and the layout of
 * configurations without checks stays as it was.
 */
final class HealthText {

    /** A reason longer than this is cut on the program line: the growth and the time to the limit follow it. */
    static final int MAX_WHY = 40;
    /** The notify socket's {@code STATUS=} text is cut here; it ends the line. */
    static final int MAX_STATUS = 60;

    private HealthText() {
    }

    /** Whether the table has a READY column: some program's health is watched. */
    static boolean anyWatched(List<ProgramSnapshot> programs) {
        for (ProgramSnapshot p : programs) {
            if (watched(p)) {
                return true;
            }
        }
        return false;
    }

    static boolean watched(ProgramSnapshot p) {
        return p.settings().health().watched();
    }

    /** The READY cell: {@code yes}, {@code no}, or {@code -} when the program is not meant to run now. */
    static String cell(ProgramSnapshot p) {
        return p.health().ready() ? "yes" : p.health().expected() ? "no" : "-";
    }

    /** Green when ready; red when its check fails, yellow while it is still waiting to be ready. */
    static TextColor color(ProgramSnapshot p, TextColor plain) {
        if (p.health().ready()) {
            return TextColor.ANSI.GREEN;
        }
        if (!p.health().expected()) {
            return plain;
        }
        return ProgramSnapshot.Health.FAILING.equals(p.health().check()) ? TextColor.ANSI.RED : TextColor.ANSI.YELLOW;
    }

    /**
     * For the program line of a running, watched program: {@code ready}, {@code ready · check
     * passing}, {@code ready · check failing (connection refused)} (an alive-level check between
     * its failures and the restart), or {@code not ready (check failing: HTTP 500)}; null otherwise.
     */
    static String line(ProgramSnapshot p) {
        if (!watched(p) || !p.isUp()) {
            return null;
        }
        ProgramSnapshot.Health h = p.health();
        if (!h.ready()) {
            return "not ready (" + Fmt.fit(safe(HealthReport.why(p)), MAX_WHY) + ")";
        }
        if (ProgramSnapshot.Health.PASSING.equals(h.check())) {
            return "ready · check passing";
        }
        if (ProgramSnapshot.Health.FAILING.equals(h.check())) {
            return "ready · check failing" + (h.lastCheck() == null ? ""
                    : " (" + Fmt.fit(safe(h.lastCheck()), MAX_WHY) + ")");
        }
        return "ready";
    }

    /** {@code status "Loading 40%"}: what the program last said with {@code STATUS=}, made safe to draw; or null. */
    static String status(ProgramSnapshot p) {
        String s = p.health().notifyStatus();
        if (s == null) {
            return null;
        }
        String clean = safe(s);
        return clean.isEmpty() ? null : "status \"" + Fmt.fit(clean, MAX_STATUS) + "\"";
    }

    /**
     * A program's or a server's words, safe to draw on one line. Line breaks become blanks first:
     * the sanitizer drops control characters, and for it a carriage return starts the line again;
     * escape sequences it removes whole.
     */
    private static String safe(String text) {
        return TextSanitizer.clean(text.replace('\r', ' ').replace('\n', ' ')).strip();
    }
}
