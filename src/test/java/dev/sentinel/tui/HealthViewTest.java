package dev.sentinel.tui;

import static dev.sentinel.tui.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.TextColor;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.testing.Healths;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Readiness on the dashboard: the READY column of the program table, the program line, the compact view. */
class HealthViewTest {

    private static final String URL = "http://127.0.0.1:8080/health";

    private final DashboardView view = new DashboardView(ZoneId.of("UTC"));

    private VirtualScreen render(int columns, int rows, Frame f) {
        return VirtualScreen.started(columns, rows).draw(g -> view.draw(g, f));
    }

    private static ProgramSnapshot checked(ProgramSnapshot p, ProgramSnapshot.Health h) {
        return Healths.with(Healths.with(p, Healths.readyOnCheck(URL)), h);
    }

    /** web checked and passing, api checked and failing, worker in BACKOFF, cron ended (not expected). */
    private static List<ProgramSnapshot> fourPrograms() {
        List<ProgramSnapshot> three = Fixtures.threePrograms(T0 + 2_100);
        return List.of(
                checked(three.get(0), Healths.passing("HTTP 200 in 3 ms", T0 - 60_000)),
                checked(Fixtures.renamed(Fixtures.running(30, 100), "api", 1100), Healths.failing("HTTP 500", 4, 3)),
                three.get(1),
                three.get(2));
    }

    private static Frame many(List<ProgramSnapshot> programs, String selected) {
        return Fixtures.manyFrame(programs, selected, false, Fixtures.staircase(30), new OutputBuffer(10), List.of());
    }

    private static int row(VirtualScreen s, String name) {
        for (int y = 0; y < s.rows(); y++) {
            String line = s.line(y);
            if (line.length() > 2 && line.substring(2).startsWith(name + " ")) {
                return y;
            }
        }
        return -1;
    }

    @Test
    void withACheckedProgramTheTableHasAReadyColumnAfterTheState() {
        VirtualScreen s = render(120, 40, many(fourPrograms(), "web"));
        String title = s.line(s.rowOf("NAME"));
        assertTrue(title.matches("  NAME\\s+STATE\\s+READY\\s+PID\\s+RSS MEMORY\\s+LIMIT\\s+RESTARTS\\s+UPTIME LAST STOP\\s*"),
                title);
        String web = s.line(row(s, "web"));
        assertTrue(web.matches("▶ web\\s+RUNNING\\s+yes\\s+1000\\s+56 MiB █+░+\\s+56%\\s+100 MiB\\s+0\\s+1m35s -\\s*"), web);
        String api = s.line(row(s, "api"));
        assertTrue(api.matches("  api\\s+RUNNING\\s+no\\s+1100\\s+30 MiB .*"), api);
        String worker = s.line(row(s, "worker"));
        assertTrue(worker.matches("  worker\\s+BACKOFF\\s+no\\s+-\\s+- restart in 2\\.1s .*"), worker);
        String cron = s.line(row(s, "cron"));
        assertTrue(cron.matches("  cron\\s+EXITED\\s+-\\s+-\\s+- exit status 143 .*"), cron);
        int column = title.indexOf("READY");
        assertEquals(TextColor.ANSI.RED, s.foreground(column, row(s, "api")), "its check fails");
        assertEquals(TextColor.ANSI.YELLOW, s.foreground(column, row(s, "worker")), "waiting");
        assertEquals(TextColor.ANSI.GREEN, s.foreground(column + 1, row(s, "web")));
    }

    @Test
    void withoutAnyCheckTheTableIsAsItWas() {
        VirtualScreen s = render(120, 40, many(Fixtures.threePrograms(T0 + 2_100), "web"));
        assertFalse(s.line(s.rowOf("NAME")).contains("READY"), s.line(s.rowOf("NAME")));
    }

    @Test
    void atEightyColumnsTheColumnFitsAndTheLastStopMakesRoomForIt() {
        VirtualScreen s = render(80, 24, many(fourPrograms(), "api"));
        String title = s.line(s.rowOf("NAME"));
        assertTrue(title.matches("  NAME\\s+STATE\\s+READY\\s+PID\\s+RSS MEMORY\\s+RESTARTS\\s+UPTIME\\s*"), title);
        for (String line : s.lines()) {
            assertTrue(Fmt.columns(line) <= 80, line);
        }
        String web = s.line(row(s, "web"));
        assertTrue(web.matches("  web\\s+RUNNING\\s+yes\\s+1000\\s+56 MiB █+░+\\s+56%\\s+0\\s+1m35s\\s*"), web);
        // Short names leave the memory cell room for the last stop too.
        List<ProgramSnapshot> fifty = new ArrayList<>(Fixtures.manyPrograms(50));
        fifty.set(0, Healths.with(fifty.get(0), Healths.readyOnCheck(URL)));
        String wide = render(80, 24, many(fifty, "p00")).line(1);
        assertTrue(wide.matches("  NAME\\s+STATE\\s+READY\\s+PID\\s+RSS MEMORY\\s+RESTARTS\\s+UPTIME LAST STOP.*"), wide);
    }

    @Test
    void theProgramLineSaysWhetherItIsReadyAndWhyNot() {
        VirtualScreen s = render(160, 40, many(fourPrograms(), "api"));
        int line = row(s, "cron") + 1;
        assertTrue(s.line(line).startsWith("api  RUNNING  not ready (check failing: HTTP 500)  pid 1100  up 1m35s"),
                s.line(line));
        assertEquals(TextColor.ANSI.RED, s.foreground(s.line(line).indexOf("not ready"), line));
        VirtualScreen web = render(160, 40, many(fourPrograms(), "web"));
        int webLine = row(web, "cron") + 1;
        assertTrue(web.line(webLine).startsWith("web  RUNNING  ready · check passing  pid 1000  up 1m35s"),
                web.line(webLine));
        assertEquals(TextColor.ANSI.GREEN, web.foreground(web.line(webLine).indexOf("ready"), webLine));
    }

    @Test
    void oneProgramShowsReadinessAndItsStatusTextOnItsLine() {
        ProgramSnapshot p = Healths.with(Healths.with(Fixtures.running(56, 100), Healths.readyOnNotify()),
                Healths.withStatus(ProgramSnapshot.Health.of(ProgramState.RUNNING), "Serving\n12 \u001b[31mclients"));
        VirtualScreen s = render(160, 40, Fixtures.frame(p));
        String line = s.line(1);
        assertTrue(line.startsWith("app  RUNNING  ready  pid 1000  up 1m35s  growth +5.0 MiB/min  limit in ~8m48s"
                + "  status \"Serving 12 clients\""), line);
        assertEquals(TextColor.ANSI.CYAN, s.foreground(line.indexOf("status"), 1));
        ProgramSnapshot waiting = Healths.with(p, new ProgramSnapshot.Health(false, true, null, 0, 0, null, null, 0,
                "waiting for READY=1"));
        assertTrue(render(160, 40, Fixtures.frame(waiting)).line(1)
                .startsWith("app  RUNNING  not ready (waiting for READY=1)  pid 1000"));
        assertEquals(TextColor.ANSI.YELLOW, render(160, 40, Fixtures.frame(waiting)).foreground(15, 1));
    }

    @Test
    void aProgramWithoutACheckHasTheLineItAlwaysHad() {
        ProgramSnapshot p = Healths.with(Fixtures.running(56, 100),
                Healths.withStatus(ProgramSnapshot.Health.of(ProgramState.RUNNING), null));
        assertTrue(render(120, 40, Fixtures.frame(p)).line(1).startsWith("app  RUNNING  pid 1000  up 1m35s  growth"));
        ProgramSnapshot over = Healths.with(Fixtures.exited(StopReason.STOP), Healths.readyOnCheck(URL));
        assertFalse(render(120, 40, Fixtures.frame(over)).line(1).contains("ready"), "no readiness without a tree");
    }

    @Test
    void theCompactViewAddsALineForReadiness() {
        ProgramSnapshot p = checked(Fixtures.running(56, 100), Healths.failing("connection refused", 9, 3));
        VirtualScreen s = render(30, 10, Fixtures.frame(p));
        List<String> l = s.lines();
        assertEquals("app", l.get(0).trim());
        assertTrue(l.get(1).startsWith("RUNNING pid 1000"), l.get(1));
        assertEquals("not ready (check failing: con…", l.get(2).trim());
        assertEquals(TextColor.ANSI.RED, s.foreground(0, 2));
        assertEquals("56 MiB / 100 MiB", l.get(3).trim());
    }
}
