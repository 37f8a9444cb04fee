package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.cli.CtlCommand;
import dev.sentinel.core.RunInfo;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.Target;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.events.EventLog;
import dev.sentinel.platform.ProcFs;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.testing.Healths;
import dev.sentinel.testing.StandInLoop;
import dev.sentinel.time.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code health} over a real control socket, answered from snapshots the test builds: who is not
 * ready and why, a line per program, and {@code sentinel ctl health}'s exit status for scripts and
 * exec probes.
 */
@Timeout(60)
class HealthCommandTest {

    private static final long T0 = 1_790_000_000_000L;

    @TempDir
    Path dir;

    private final AtomicReference<Snapshot> latest = new AtomicReference<>();
    private ControlServer control;

    @AfterEach
    void close() {
        if (control != null) {
            control.close();
        }
    }

    private static ProgramSnapshot program(String name, ProgramState state, ProgramSnapshot.Health health) {
        return new ProgramSnapshot(ProgramSettings.builder(name, List.of(name)).build(), state, MemoryLimit.NONE,
                new ProgramSnapshot.Run(4000, 0, 0, List.of(), 0, T0, 1000, -1, 0), ProgramSnapshot.Ledger.NONE,
                ProgramSnapshot.Kernel.PROC, health);
    }

    /** web's check fails, db waits to restart, cron ended by itself: web and db count, cron does not. */
    private static List<ProgramSnapshot> troubled() {
        return List.of(
                program("web", ProgramState.RUNNING, Healths.failing("HTTP 500", 4, 3)),
                program("db", ProgramState.BACKOFF, ProgramSnapshot.Health.of(ProgramState.BACKOFF)),
                program("cron", ProgramState.EXITED, ProgramSnapshot.Health.of(ProgramState.EXITED)));
    }

    private static List<ProgramSnapshot> fine() {
        return List.of(
                program("web", ProgramState.RUNNING, Healths.passing("HTTP 200 in 3 ms", T0)),
                program("db", ProgramState.RUNNING, ProgramSnapshot.Health.of(ProgramState.RUNNING)),
                program("cron", ProgramState.EXITED, ProgramSnapshot.Health.of(ProgramState.EXITED)));
    }

    private void serve(List<ProgramSnapshot> programs) throws Exception {
        publish(programs);
        control = ControlServer.bind(new ControlSettings(true, dir.resolve("s.sock"), true, 0600, null),
                ControlLimits.DEFAULT, ProcFs.system().effectiveUid(), ProcessHandle.current().pid());
        StandInLoop loop = StandInLoop.config(Clock.system(), latest::get, new EventLog(10), List::of);
        control.attach(loop);
        control.afterTick(latest.get());
    }

    private void publish(List<ProgramSnapshot> programs) {
        long sequence = latest.get() == null ? 1 : latest.get().sequence() + 1;
        latest.set(new Snapshot(sequence, T0, new RunInfo("test", 1, "s.sock", null, "/etc/sentinel.toml"), programs,
                List.of()));
    }

    private String ask(String line) throws Exception {
        return Clients.ask(control.path(), line);
    }

    @Test
    void healthNamesWhoIsNotReadyAndWhyOnOneErrLine() throws Exception {
        serve(troubled());
        assertEquals("ERR not ready: web (check failing: HTTP 500), db (BACKOFF)\n", ask("health"));
        assertEquals("ERR not ready: web (check failing: HTTP 500), db (BACKOFF)\n", ask("HEALTH all"));
        publish(fine());
        assertEquals("OK ready\n", ask("health"));
    }

    @Test
    void verboseOrANameAddsALinePerProgram() throws Exception {
        serve(troubled());
        assertEquals("ERR not ready: web (check failing: HTTP 500), db (BACKOFF)\n"
                + "web ready=no expected=yes check=failing why=check failing: HTTP 500\n"
                + "db ready=no expected=yes check=- why=BACKOFF\n"
                + "cron ready=no expected=no check=- why=EXITED\n", ask("health verbose"));
        assertEquals(ask("health verbose"), ask("health all VERBOSE"));
        assertEquals("ERR not ready: web (check failing: HTTP 500)\n"
                + "web ready=no expected=yes check=failing why=check failing: HTTP 500\n", ask("health web"));
        // cron does not count: nothing that should run is unready.
        assertEquals("OK ready\ncron ready=no expected=no check=- why=EXITED\n", ask("health cron verbose"));
        publish(fine());
        assertEquals("OK ready\nweb ready=yes expected=yes check=passing why=-\n", ask("health web"));
    }

    @Test
    void aBadArgumentIsOneErrSentence() throws Exception {
        serve(troubled());
        assertEquals("ERR no program called 'cache'; the programs are: web, db, cron\n", ask("health cache verbose"));
        assertEquals("ERR 'health' takes nothing or 'verbose', or a program's name, not 'verbos'; the programs are: "
                + "web, db, cron\n", ask("health verbos"));
        assertEquals("ERR 'health' takes [NAME|all] [verbose], e.g. 'health web verbose', not 'web db'; try 'help'\n",
                ask("health web db"));
    }

    @Test
    void helpListsHealth() throws Exception {
        serve(fine());
        String help = ask("help");
        assertTrue(help.contains("  health [NAME] [verbose]\n"), help);
        assertTrue(help.contains("what /readyz answers"), help);
    }

    @Test
    void sentinelCtlHealthExitsOneWhenNotReadySoAScriptOrAnExecProbeCanUseIt() throws Exception {
        serve(troubled());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(1, ctl(out, err, "health"));
        assertEquals("ERR not ready: web (check failing: HTTP 500), db (BACKOFF)\n",
                err.toString(StandardCharsets.UTF_8));
        publish(fine());
        out.reset();
        assertEquals(0, ctl(out, err, "health"));
        assertEquals("OK ready\n", out.toString(StandardCharsets.UTF_8));
    }

    private int ctl(ByteArrayOutputStream out, ByteArrayOutputStream err, String command) {
        return CtlCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "--socket", control.path().toString(),
                "--timeout", Duration.ofSeconds(10).toSeconds() + "s", command);
    }

    @Test
    void theCommandReadsBackAsTyped() {
        assertEquals("health", new Command.Health(false).text());
        assertEquals("health web verbose", new Command.Health(new Target.Named("web"), true).text());
        assertEquals("health all", new Command.Health(Target.ALL, false).text());
    }
}
