package dev.sentinel.control;

import dev.sentinel.core.HealthReport;
import dev.sentinel.core.Target;
import dev.sentinel.core.program.ProgramSnapshot;
import java.util.List;

/**
 * The answer to {@code health}: first {@code OK ready}, or {@code ERR not ready: web (check
 * failing: HTTP 500), db (BACKOFF)} on one line, in {@link HealthReport}'s words, so the socket
 * and {@code /readyz} never disagree; then, with a NAME or {@code verbose}, a line per program:
 * {@code web ready=no expected=yes check=failing why=check failing: HTTP 500}. Values before
 * {@code why} have no blanks; {@code why}, free text, is the rest of the line ({@code -} when
 * ready). Pure.
 */
final class HealthFormatter {

    private HealthFormatter() {
    }

    static String answer(List<ProgramSnapshot> programs, Command.Health h) {
        List<ProgramSnapshot> notReady = HealthReport.notReady(programs);
        StringBuilder b = new StringBuilder(notReady.isEmpty() ? "OK ready"
                : "ERR not ready: " + HealthReport.listing(notReady)).append('\n');
        if (h.verbose() || h.target() instanceof Target.Named) {
            for (ProgramSnapshot p : programs) {
                b.append(line(p)).append('\n');
            }
        }
        return b.toString();
    }

    static String line(ProgramSnapshot p) {
        ProgramSnapshot.Health h = p.health();
        String check = StatusFormatter.check(h);
        String why = HealthReport.why(p);
        return p.name() + " ready=" + (h.ready() ? "yes" : "no") + " expected=" + (h.expected() ? "yes" : "no")
                + " check=" + (check == null ? "-" : check) + " why=" + (why == null ? "-" : why);
    }
}
