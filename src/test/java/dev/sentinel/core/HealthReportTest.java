package dev.sentinel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.settings.HealthSettings;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.Readiness;
import dev.sentinel.testing.Healths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthReportTest {

    private static ProgramSnapshot program(String name, ProgramState state, ProgramSnapshot.Health health,
                                           Readiness readiness) {
        HealthSettings h = switch (readiness) {
            case CHECK -> Healths.readyOnCheck("http://127.0.0.1:8080/health");
            case NOTIFY -> Healths.readyOnNotify();
            case STARTED -> HealthSettings.NONE;
        };
        return new ProgramSnapshot(ProgramSettings.builder(name, List.of(name)).health(h).build(), state,
                MemoryLimit.NONE, ProgramSnapshot.Run.NONE, ProgramSnapshot.Ledger.NONE, ProgramSnapshot.Kernel.PROC,
                health);
    }

    private static ProgramSnapshot ready(String name) {
        return program(name, ProgramState.RUNNING, ProgramSnapshot.Health.of(ProgramState.RUNNING), Readiness.STARTED);
    }

    private static ProgramSnapshot notReady(String name, String check, String lastCheck, String why, boolean expected) {
        return program(name, ProgramState.RUNNING,
                new ProgramSnapshot.Health(false, expected, check, 3, 3, lastCheck, null, 0, why), Readiness.CHECK);
    }

    @Test
    void readyWhenEveryProgramThatShouldRunIsReady() {
        assertTrue(HealthReport.ready(List.of()));
        assertTrue(HealthReport.ready(List.of(ready("web"), ready("db"))));
        ProgramSnapshot cron = program("cron", ProgramState.EXITED, ProgramSnapshot.Health.of(ProgramState.EXITED),
                Readiness.STARTED);
        assertFalse(cron.health().ready());
        assertTrue(HealthReport.ready(List.of(ready("web"), cron)), "an ended program does not count");
        ProgramSnapshot web = notReady("web", "failing", "HTTP 500", "check failing: HTTP 500", true);
        assertFalse(HealthReport.ready(List.of(web, ready("db"))));
        assertEquals(List.of(web), HealthReport.notReady(List.of(ready("db"), web, cron)));
    }

    @Test
    void whyIsTheLoopsReasonOrOneMadeFromTheCheckAndTheState() {
        assertNull(HealthReport.why(ready("web")));
        assertEquals("check failing: HTTP 500", HealthReport.why(notReady("web", "failing", "HTTP 500",
                "check failing: HTTP 500", true)));
        assertEquals("check failing: connection refused", HealthReport.why(notReady("web", "failing",
                "connection refused", null, true)));
        assertEquals("waiting for its check to pass", HealthReport.why(notReady("web", null, null, " ", true)));
        ProgramSnapshot backoff = program("db", ProgramState.BACKOFF, ProgramSnapshot.Health.of(ProgramState.BACKOFF),
                Readiness.STARTED);
        assertEquals("BACKOFF", HealthReport.why(backoff));
        ProgramSnapshot notify = program("api", ProgramState.RUNNING,
                new ProgramSnapshot.Health(false, true, null, 0, 0, null, null, 0, null), Readiness.NOTIFY);
        assertEquals("waiting for READY=1", HealthReport.why(notify));
    }

    @Test
    void theListingNamesEachOnOneLineAndCountsWhatItCannotName() {
        ProgramSnapshot web = notReady("web", "failing", "HTTP 500", "check failing: HTTP 500", true);
        ProgramSnapshot db = program("db", ProgramState.BACKOFF, ProgramSnapshot.Health.of(ProgramState.BACKOFF),
                Readiness.STARTED);
        assertEquals("web (check failing: HTTP 500), db (BACKOFF)", HealthReport.listing(List.of(web, db)));
        List<ProgramSnapshot> many = new ArrayList<>();
        for (int i = 0; i < HealthReport.MAX_NAMED + 4; i++) {
            many.add(notReady("p" + i, null, null, "starting", true));
        }
        String listing = HealthReport.listing(many);
        assertTrue(listing.endsWith("p9 (starting) and 4 more"), listing);
        ProgramSnapshot odd = notReady("odd", "failing", null, "line one\nline two\r\n" + "x".repeat(500), true);
        String why = HealthReport.why(odd);
        assertEquals(HealthReport.MAX_WHY, why.length());
        assertTrue(why.startsWith("line one line two  xxx") && why.endsWith("x\u2026"), why);
    }

    @Test
    void verboseLinesSayReadyNotReadyAndWhatDoesNotCount() {
        assertEquals("web: ready", HealthReport.verboseLine(ready("web")));
        assertEquals("web: not ready (check failing: HTTP 500)",
                HealthReport.verboseLine(notReady("web", "failing", "HTTP 500", "check failing: HTTP 500", true)));
        assertEquals("cron: not ready (EXITED), not expected to run", HealthReport.verboseLine(program("cron",
                ProgramState.EXITED, ProgramSnapshot.Health.of(ProgramState.EXITED), Readiness.STARTED)));
    }
}
