package dev.sentinel.testing;

import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.settings.CheckLevel;
import dev.sentinel.settings.CheckSettings;
import dev.sentinel.settings.HealthSettings;
import dev.sentinel.settings.Readiness;
import java.time.Duration;
import java.util.List;

/** Health settings and snapshot health with chosen values, for the tests of what shows health. */
public final class Healths {

    private Healths() {
    }

    /** An http check of {@code url} at {@code level}, the table's defaults for the rest. */
    public static CheckSettings http(String url, CheckLevel level) {
        CheckSettings d = CheckSettings.NONE;
        return new CheckSettings(CheckSettings.Kind.HTTP, url, List.of(), d.period(), d.timeout(), d.threshold(),
                d.startPeriod(), level, d.onFailure());
    }

    /** Ready when the http check of {@code url} first passes. */
    public static HealthSettings readyOnCheck(String url) {
        return new HealthSettings(http(url, CheckLevel.READY), Readiness.CHECK, Duration.ZERO, Duration.ZERO);
    }

    /** Ready when the program says READY=1 on its notify socket. */
    public static HealthSettings readyOnNotify() {
        return new HealthSettings(CheckSettings.NONE, Readiness.NOTIFY, Duration.ZERO, Duration.ZERO);
    }

    /** Ready and checked: its check passes ({@code lastCheck} said so) since {@code sinceMillis}. */
    public static ProgramSnapshot.Health passing(String lastCheck, long sinceMillis) {
        return new ProgramSnapshot.Health(true, true, ProgramSnapshot.Health.PASSING, 0, 0, lastCheck, null,
                sinceMillis, null);
    }

    /** Running, not ready: its check failed {@code failures} times, the last {@code inARow} in a row. */
    public static ProgramSnapshot.Health failing(String lastCheck, long failures, int inARow) {
        return new ProgramSnapshot.Health(false, true, ProgramSnapshot.Health.FAILING, failures, inARow, lastCheck,
                null, 0, "check failing: " + lastCheck);
    }

    /** {@code h} with the notify socket's last {@code STATUS=} text. */
    public static ProgramSnapshot.Health withStatus(ProgramSnapshot.Health h, String status) {
        return new ProgramSnapshot.Health(h.ready(), h.expected(), h.check(), h.checkFailures(), h.failuresInARow(),
                h.lastCheck(), status, h.readySinceEpochMillis(), h.notReadyWhy());
    }

    /** {@code p} with another health. */
    public static ProgramSnapshot with(ProgramSnapshot p, ProgramSnapshot.Health health) {
        return new ProgramSnapshot(p.settings(), p.state(), p.limit(), p.run(), p.ledger(), p.kernel(), health);
    }

    /** {@code p} with other health settings (and the same health). */
    public static ProgramSnapshot with(ProgramSnapshot p, HealthSettings settings) {
        return new ProgramSnapshot(p.settings().toBuilder().health(settings).build(), p.state(), p.limit(), p.run(),
                p.ledger(), p.kernel(), p.health());
    }
}
