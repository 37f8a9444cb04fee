package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.cli.CtlCommand;
import dev.sentinel.core.ReloadPlan;
import dev.sentinel.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol of named programs over a real socket: the real loop guards three real children
 * (web, db, worker) in config mode, as a Sentinel started from a file does; its reloads read a
 * plan the test sets instead of a file.
 */
@Timeout(60)
class MultiProgramControlTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String NAMES = "the programs are: web, db, worker";
    private static final String FILE = "/etc/sentinel/test.toml";

    @TempDir
    Path dir;

    private volatile ReloadPlan nextReload = new ReloadPlan.Refused(List.of("no reload planned"));
    private InProcessSentinel sentinel;

    @BeforeEach
    void guardThree() throws Exception {
        Map<String, List<String>> programs = new LinkedHashMap<>();
        programs.put("web", List.of("sleep", "300"));
        programs.put("db", List.of("sleep", "301"));
        programs.put("worker", List.of("sleep", "302"));
        sentinel = InProcessSentinel.at(dir.resolve("m.sock")).config(FILE, () -> nextReload).guardEach(programs);
    }

    @AfterEach
    void stop() throws Exception {
        sentinel.close();
    }

    @Test
    void statusIsOneLinePerProgramAndANamePicksOne() throws IOException {
        List<String> lines = ask("status").lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("web pid=") && lines.get(1).startsWith("db pid=")
                && lines.get(2).startsWith("worker pid="), lines.toString());
        String db = ask("status db");
        assertTrue(db.matches("db pid=\\d+ state=RUNNING .*\n"), db);
        String worker = ask("json worker");
        assertTrue(worker.startsWith("{\"name\":\"worker\",") && worker.lines().count() == 1, worker);
        assertTrue(ask("status worker json").startsWith("{\"name\":\"worker\","));
        assertEquals(3, ask("status all json").lines().count());
        assertEquals(2, ask("history all").lines().filter(l -> l.startsWith("web ") || l.startsWith("db ")).count());
        assertTrue(ask("history db").startsWith("db run=1 "));
    }

    @Test
    void anUnknownNameOrAMissingOneIsOneErrLineListingTheNames() throws IOException {
        assertEquals("ERR no program called 'cache'; " + NAMES + "\n", ask("status cache json"));
        assertEquals("ERR 'status' takes nothing or 'json', or a program's name, not 'cache'; " + NAMES + "\n",
                ask("status cache"));
        assertEquals("ERR no program called 'cache'; " + NAMES + "\n", ask("stop cache"));
        assertEquals("ERR 'restart' needs a program's name or 'all', e.g. 'restart web'; " + NAMES + "\n", ask("restart"));
        assertEquals("ERR 'limit' needs a program's name or 'all', e.g. 'limit web 1G'; " + NAMES + "\n", ask("limit 1G"));
        assertTrue(sentinel.supervisor.latest().programs().stream().allMatch(p -> p.restarts() == 0));
    }

    @Test
    void aNamedStopStopsThatProgramOnlyAndStartBringsItBack() throws IOException {
        String reply = ask("stop db");
        assertTrue(reply.startsWith("OK sent SIGTERM to db, SIGKILL follows in 1s") && reply.lines().count() == 1, reply);
        Await.until(WAIT, "db to exit", () -> status("db").contains(" state=EXITED "));
        assertTrue(status("web").contains(" state=RUNNING ") && status("worker").contains(" state=RUNNING "));
        assertTrue(sentinel.running(), "Sentinel goes on guarding the others");
        assertTrue(ask("start db").startsWith("OK "));
        Await.until(WAIT, "db to run again", () -> status("db").contains(" state=RUNNING "));
        long me = ProcessHandle.current().pid();
        assertTrue(sentinel.events.stream().anyMatch(e -> e.program().equals("db")
                && e.message().equals("order 'stop db' from uid 0 pid " + me)), sentinel.eventMessages().toString());
    }

    @Test
    void anOrderOnAllAnswersOneLinePerProgram() throws IOException {
        assertEquals("OK limit of web changed from 1 GiB to 2 GiB\nOK limit of db changed from 1 GiB to 2 GiB\n"
                + "OK limit of worker changed from 1 GiB to 2 GiB\n", ask("limit all 2G"));
        List<String> restarts = ask("restart all").lines().toList();
        assertEquals(3, restarts.size(), restarts.toString());
        for (int i = 0; i < 3; i++) {
            String name = List.of("web", "db", "worker").get(i);
            assertTrue(restarts.get(i).startsWith("OK restarting " + name + ": sent SIGTERM"), restarts.toString());
        }
        Await.until(WAIT, "every program restarted", () -> status("all").lines().allMatch(l -> l.contains(" restarts=1 ")
                && l.contains(" state=RUNNING ")));
    }

    @Test
    void stopWithoutANameStopsEveryProgramAndSentinelEnds() throws Exception {
        String reply = ask("stop");
        assertEquals("OK stopping 3 programs in reverse priority order; Sentinel exits when all are gone\n", reply);
        assertEquals(0, sentinel.awaitExit(WAIT));
        assertFalse(Files.exists(sentinel.socket()));
        assertTrue(sentinel.events.stream().anyMatch(e -> e.program().equals("sentinel")
                && e.message().startsWith("order 'stop' from ")), sentinel.eventMessages().toString());
    }

    @Test
    void eventsOfOneProgramAreItsOwn() throws IOException {
        ask("limit db 512M");
        String db = ask("events db 50");
        assertTrue(db.lines().allMatch(l -> l.contains("\"name\":\"db\"")), db);
        assertTrue(db.contains("\"kind\":\"order\"") && db.contains("order 'limit db 512 MiB'"), db);
        assertTrue(ask("events web 50").lines().noneMatch(l -> l.contains("limit db")));
    }

    @Test
    void aRefusedReloadIsErrAndEveryProblemAndChangesNothing() throws IOException {
        nextReload = new ReloadPlan.Refused(List.of(FILE + ":3: programs.web.memory_limit: '1X' is not a size",
                FILE + ":7: programs.db: unknown key 'cmd'"));
        assertEquals("ERR reload refused, nothing was changed: 2 problems\n"
                + FILE + ":3: programs.web.memory_limit: '1X' is not a size\n"
                + FILE + ":7: programs.db: unknown key 'cmd'\n", ask("reload"));
        assertEquals(3, ask("status").lines().filter(l -> l.contains(" state=RUNNING ")).count());
        assertTrue(sentinel.events.stream().anyMatch(e -> e.program().equals("sentinel")
                && e.message().startsWith("order 'reload' from ")));
    }

    @Test
    void anAppliedReloadIsOkAndALinePerProgramAndARemovedNameIsGoneFromTheProtocol() throws Exception {
        try (SocketChannel watch = SocketChannel.open(UnixDomainSocketAddress.of(sentinel.socket()))) {
            watch.write(ByteBuffer.wrap("watch worker\n".getBytes(StandardCharsets.US_ASCII)));
            assertTrue(Clients.readLine(watch, WAIT).startsWith("worker pid="));
            nextReload = new ReloadPlan.Apply(List.of(), List.of("worker"), List.of(), List.of("web", "db"), List.of(), false);
            String reply = ask("reload");
            List<String> lines = reply.lines().toList();
            assertEquals("OK reloaded " + FILE, lines.get(0), reply);
            assertTrue(lines.get(1).startsWith("worker: removed; stopping pid "), reply);
            assertEquals(List.of("web: unchanged", "db: unchanged"), lines.subList(2, 4), reply);
            Await.until(WAIT, "worker to be forgotten", () -> status("all").lines().count() == 2);
            assertEquals("ERR no program called 'worker'; the programs are: web, db\n", ask("status worker json"));
            assertEquals("ERR no program called 'worker'; the programs are: web, db\n", ask("restart worker"));
            // The watch of worker showed it stopping, then ends with a line saying why.
            String line;
            do {
                line = Clients.readLine(watch, WAIT);
            } while (line.startsWith("worker pid="));
            assertEquals("ERR 'worker' is no longer guarded (a reload removed it)", line);
            assertEquals("", Clients.readToEnd(watch, WAIT));
        }
    }

    @Test
    void aWatchOfOneProgramSendsItsLinesOnlyOnePerSample() throws IOException {
        try (SocketChannel watch = SocketChannel.open(UnixDomainSocketAddress.of(sentinel.socket()))) {
            watch.write(ByteBuffer.wrap("watch db json\n".getBytes(StandardCharsets.US_ASCII)));
            long last = -1;
            for (int i = 0; i < 5; i++) {
                String line = Clients.readLine(watch, WAIT);
                assertTrue(line.startsWith("{\"name\":\"db\","), line);
                Matcher m = Pattern.compile("\"samples\":(\\d+)").matcher(line);
                assertTrue(m.find(), line);
                long samples = Long.parseLong(m.group(1));
                assertTrue(samples > last, "a new sample of db each line: " + samples + " after " + last);
                last = samples;
            }
        }
    }

    @Test
    void ctlSendsEachLineWhereItsOkOrErrSaysAndFailsIfAnyIsErr() throws Exception {
        ask("stop web");
        Await.until(WAIT, "web to exit", () -> status("web").contains(" state=EXITED "));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CtlCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "-s", sentinel.socket().toString(), "start", "all");
        assertEquals(1, exit);
        String stdout = out.toString(StandardCharsets.UTF_8);
        String stderr = err.toString(StandardCharsets.UTF_8);
        assertTrue(stdout.startsWith("OK ") && stdout.contains("web") && stdout.lines().count() == 1, stdout);
        assertEquals("ERR db is already running (state RUNNING); 'restart' stops and starts it again\n"
                + "ERR worker is already running (state RUNNING); 'restart' stops and starts it again\n", stderr);
    }

    private String ask(String line) throws IOException {
        return Clients.ask(sentinel.socket(), line);
    }

    private String status(String name) {
        try {
            return ask("status " + name);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
