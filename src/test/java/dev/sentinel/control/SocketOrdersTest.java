package dev.sentinel.control;

import dev.sentinel.settings.MemoryLimit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.events.EventKind;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.ReloadOutcome;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.platform.Signal;
import dev.sentinel.testing.FakeTree.Sent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Orders on the loop, against guardians of pretend trees: what is done to which program, and the reply's lines. */
class SocketOrdersTest {

    private static final Peer PEER = new Peer(1000, 1000, 77);

    @Test
    void aNamedOrderActsOnThatProgramOnlyAndIsLoggedOnIt() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db", "worker");
        assertEquals("OK sent SIGTERM to web, SIGKILL follows in 3s if it is still running\n", order(loop, "stop web"));
        assertEquals(ProgramState.STOPPING, loop.program("web").state());
        assertEquals(ProgramState.RUNNING, loop.program("db").state());
        assertEquals(ProgramState.RUNNING, loop.program("worker").state());
        assertTrue(loop.eventMessages().contains("web: order 'stop web' from uid 1000 pid 77"), loop.eventMessages().toString());
        assertTrue(loop.events.stream().noneMatch(e -> e.kind() == EventKind.ORDER && !e.program().equals("web")));
        assertEquals(List.of(), loop.shutdowns, "stopping one program is no shutdown");
    }

    @Test
    void allActsOnEveryProgramWithOneLinePerProgramInConfigOrder() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db", "worker");
        assertEquals("OK sent SIGKILL to web (1 process)\nOK sent SIGKILL to db (1 process)\n"
                + "OK sent SIGKILL to worker (1 process)\n", order(loop, "kill ALL"));
        for (String name : List.of("web", "db", "worker")) {
            assertEquals(ProgramState.KILLING, loop.program(name).state(), name);
            assertTrue(loop.eventMessages().contains(name + ": order 'kill all' from uid 1000 pid 77"), name);
        }
    }

    @Test
    void eachLineOfAnAllOrderSaysOkOrErrForItsProgram() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db");
        order(loop, "kill web");
        loop.treeEnds("web", 137);
        assertEquals(ProgramState.EXITED, loop.program("web").state());
        String reply = order(loop, "start all");
        List<String> lines = reply.lines().toList();
        assertEquals(2, lines.size(), reply);
        assertTrue(lines.get(0).startsWith("OK ") && lines.get(0).contains("web"), reply);
        assertEquals("ERR db is already running (state RUNNING); 'restart' stops and starts it again", lines.get(1));
        assertEquals("OK limit of web changed from 100 MiB to 1 GiB\nOK limit of db changed from 100 MiB to 1 GiB\n",
                order(loop, "limit all 1G"));
    }

    @Test
    void limitAndSignalNameTheirProgram() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db");
        assertEquals("OK limit of db changed from 100 MiB to 2 GiB\n", order(loop, "limit db 2G"));
        assertEquals("100 MiB", loop.program("web").limit().toString());
        assertEquals("OK sent SIGHUP to the process group of web\n", order(loop, "signal web hup"));
        assertEquals(List.of(new Sent(loop.trees.get("web").mainPid(), true, Signal.HUP)), loop.trees.get("web").sent());
        assertEquals(List.of(), loop.trees.get("db").sent());
        assertEquals("OK limit of web changed from 100 MiB to none (watching only)\n", order(loop, "limit web none"));
    }

    @Test
    void stopWithoutANameStopsEverythingAndEndsSentinelLoggedOnSentinelItself() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db");
        String reply = order(loop, "stop");
        assertTrue(reply.startsWith("OK stopping every program, then Sentinel exits: sent SIGTERM to web")
                && reply.endsWith("\n") && reply.lines().count() == 1, reply);
        assertEquals(List.of(StopReason.STOP), loop.shutdowns);
        assertTrue(loop.eventMessages().contains("sentinel: order 'stop' from uid 1000 pid 77"), loop.eventMessages().toString());
    }

    @Test
    void aStopWithNothingLeftToStopIsAnErr() throws Exception {
        FakeLoop loop = FakeLoop.config("web");
        order(loop, "kill web");
        loop.treeEnds("web", 137);
        assertTrue(order(loop, "stop").startsWith("ERR "));
        assertTrue(order(loop, "stop web").startsWith("ERR nothing to stop: web "));
    }

    @Test
    void anUnnamedOrderInConfigModeListsTheNamesAndDoesNothing() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db");
        // The parser refuses these; a command that reaches the loop without a name gets the same sentence.
        assertEquals("ERR 'restart' needs a program's name or 'all', e.g. 'restart web'; the programs are: web, db\n",
                SocketOrders.carryOut(new Command.Restart(), PEER, loop));
        assertEquals("ERR 'limit' needs a program's name or 'all', e.g. 'limit web none'; the programs are: web, db\n",
                SocketOrders.carryOut(new Command.Limit(MemoryLimit.NONE), PEER, loop));
        assertTrue(loop.events.stream().noneMatch(e -> e.kind() == EventKind.ORDER));
        assertEquals(ProgramState.RUNNING, loop.program("web").state());
    }

    @Test
    void aNameThatWentAwaySinceTheParseIsAnErrListingTheNamesNow() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db", "worker");
        Command stopDb = parse(loop, "stop db");
        loop.remove("db");
        assertEquals("ERR no program called 'db'; the programs are: web, worker\n", SocketOrders.carryOut(stopDb, PEER, loop));
        assertTrue(loop.events.stream().noneMatch(e -> e.kind() == EventKind.ORDER));
    }

    @Test
    void singleCommandModeTakesNoNameItsOwnNameOrAllAsTheSameOrder() throws Exception {
        FakeLoop loop = FakeLoop.single("app");
        assertEquals("OK limit of app changed from 100 MiB to 200 MiB\n", order(loop, "limit 200M"));
        assertEquals("OK limit of app changed from 200 MiB to 300 MiB\n", order(loop, "limit app 300M"));
        assertEquals("OK limit of app changed from 300 MiB to 400 MiB\n", order(loop, "limit all 400M"));
        assertTrue(loop.eventMessages().containsAll(List.of("app: order 'limit 200 MiB' from uid 1000 pid 77",
                "app: order 'limit app 300 MiB' from uid 1000 pid 77", "app: order 'limit all 400 MiB' from uid 1000 pid 77")));
        assertTrue(loop.events.stream().filter(e -> e.kind() == EventKind.ORDER).allMatch(e -> e.run() == 1),
                "an order names the run it found");
        assertEquals("OK sent SIGTERM to app, SIGKILL follows in 3s if it is still running\n", order(loop, "stop app"));
        assertEquals(List.of(StopReason.STOP), loop.shutdowns, "'stop app' is 'stop': Sentinel exits with its program");
    }

    @Test
    void singleCommandModeRefusesOtherNamesWithItsOwn() throws Exception {
        FakeLoop loop = FakeLoop.single("app");
        assertEquals("no program called 'web'; this Sentinel guards one program: app", invalid(loop, "restart web"));
    }

    @Test
    void reloadInConfigModeRepliesOkAndWhatItDid() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db");
        loop.reloadWillAnswer(new ReloadOutcome(true, List.of("web: restarted with its new settings", "cache: added, started")));
        assertEquals("OK reloaded " + FakeLoop.CONFIG_FILE + "\nweb: restarted with its new settings\ncache: added, started\n",
                order(loop, "RELOAD"));
        assertTrue(loop.eventMessages().contains("sentinel: order 'reload' from uid 1000 pid 77"));
    }

    @Test
    void aRefusedReloadIsAnErrWithEveryProblem() throws Exception {
        FakeLoop loop = FakeLoop.config("web");
        loop.reloadWillAnswer(new ReloadOutcome(false, List.of("/etc/s.toml:4: programs.web.memory_limit: '1X' is not a size",
                "/etc/s.toml:9: programs.db: unknown key 'cmd'")));
        assertEquals("ERR reload refused, nothing was changed: 2 problems\n"
                + "/etc/s.toml:4: programs.web.memory_limit: '1X' is not a size\n"
                + "/etc/s.toml:9: programs.db: unknown key 'cmd'\n", order(loop, "reload"));
    }

    @Test
    void reloadInSingleCommandModeIsTheRefusalSentence() throws Exception {
        FakeLoop loop = FakeLoop.single("app");
        assertEquals("ERR reload needs a config file: this Sentinel guards one command (sentinel --config FILE)\n",
                order(loop, "reload"));
    }

    private static String order(FakeLoop loop, String line) {
        Command c = parse(loop, line);
        assertTrue(c.isOrder(), line + " -> " + c);
        return SocketOrders.carryOut(c, PEER, loop);
    }

    private static String invalid(FakeLoop loop, String line) {
        return assertInstanceOf(Command.Invalid.class, parse(loop, line)).reason();
    }

    private static Command parse(FakeLoop loop, String line) {
        return CommandParser.parse(line, ProgramNames.of(loop.latest(), loop.selfName()));
    }
}
