package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.PidFiles;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many programs from one file, end to end: a real Sentinel JVM with {@code --config}, real
 * programs, its real socket. Every program's processes write their pids to a pid file, and after
 * each test none may be alive.
 */
class ManyProgramsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private PidFiles pidFiles;
    private Path socket;

    @BeforeEach
    void setUp() {
        pidFiles = new PidFiles(dir);
        socket = dir.resolve("s.sock");
    }

    @AfterEach
    void noProcessLeftBehind() {
        pidFiles.assertNoneLeft(Duration.ofSeconds(10));
    }

    /** A TOML array for a command. */
    private static String array(List<String> command) {
        StringBuilder b = new StringBuilder("[");
        for (String w : command) {
            b.append(b.length() == 1 ? "" : ", ").append('"').append(w.replace("\\", "\\\\").replace("\"", "\\\""))
                    .append('"');
        }
        return b.append(']').toString();
    }

    /** A shell program that records its pid, then runs {@code script} (a config file's "$$" is one "$"). */
    private String shell(String script) {
        Path pids = pidFiles.next();
        return array(List.of("sh", "-c", "echo $$$$ >> " + pids + "; " + script));
    }

    private Path config(String programs) throws IOException {
        Path file = dir.resolve("sentinel.toml");
        Files.writeString(file, "[sentinel]\nsocket = \"" + socket + "\"\nmetrics = false\n\n[defaults]\ngrace = \"2s\"\n"
                + "restart_delay = \"100ms\"\n\n" + programs);
        return file;
    }

    private static RunningProcess sentinel(Path config) {
        return RunningProcess.start(JavaPrograms.sentinel("--no-tui", "--config", config.toString()));
    }

    private String ask(String line) throws IOException {
        return RestartingTest.ask(socket, line);
    }

    private String askQuietly(String line) {
        try {
            return ask(line);
        } catch (IOException e) {
            return "";
        }
    }

    private JsonNode json(String name) throws IOException {
        return JSON.readTree(ask("json " + name));
    }

    private long pid(String name) throws IOException {
        return json(name).get("pid").asLong();
    }

    private void awaitState(String name, String state) {
        Await.until(WAIT, () -> name + " in state " + state + ": " + askQuietly("status " + name),
                () -> askQuietly("status " + name).contains(" state=" + state + " "));
    }

    private static long count(RunningProcess s, String regex) {
        Pattern p = Pattern.compile(regex);
        return s.stderr().stream().filter(l -> p.matcher(l).find()).count();
    }

    @Test
    void aLeakingProgramIsRestartedWhileTheOthersKeepTheirPids() throws IOException {
        Path leakPids = pidFiles.next();
        Path file = config("[programs.leaky]\ncommand = " + array(JavaPrograms.leaker("--leak", "100", "--max", "1G",
                "--pid-file", leakPids.toString())) + "\nmemory_limit = \"100M\"\n\n"
                + "[programs.web]\ncommand = " + shell("exec sleep 600") + "\n\n"
                + "[programs.worker]\ncommand = " + shell("exec sleep 600") + "\n");
        try (RunningProcess s = sentinel(file)) {
            s.awaitStderr("sentinel\\[web\\]: started pid ", WAIT);
            awaitState("web", "RUNNING");
            awaitState("worker", "RUNNING");
            long web = pid("web");
            long worker = pid("worker");
            s.awaitStderr("sentinel\\[leaky\\]: limit crossed: tree RSS", WAIT);
            s.awaitStderr("sentinel\\[leaky\\]: started pid \\d+ \\(run 2, restart 1 after a memory stop", WAIT);
            assertEquals(web, pid("web"));
            assertEquals(worker, pid("worker"));
            assertEquals(0, json("web").get("restarts").asInt());
            String status = ask("status");
            assertEquals(3, status.lines().count(), status);
            assertTrue(status.lines().anyMatch(l -> l.startsWith("leaky ")), status);
            assertTrue(ask("stop").startsWith("OK "));
            assertEquals(0, s.awaitExit(WAIT), "told to stop: 0");
        }
    }

    @Test
    void oneProgramIsStoppedAndStartedByNameAndTheOthersAreNotTouched() throws IOException {
        Path file = config("[programs.a]\ncommand = " + shell("exec sleep 600") + "\n\n"
                + "[programs.b]\ncommand = " + shell("exec sleep 600") + "\n");
        try (RunningProcess s = sentinel(file)) {
            awaitState("a", "RUNNING");
            awaitState("b", "RUNNING");
            long b = pid("b");
            assertTrue(ask("stop a").startsWith("OK "));
            awaitState("a", "EXITED");
            assertEquals(b, pid("b"));
            String err = ask("stop nosuch");
            assertTrue(err.startsWith("ERR ") && err.contains("a") && err.contains("b"), "lists the names: " + err);
            assertTrue(ask("start a").startsWith("OK "));
            awaitState("a", "RUNNING");
            assertEquals(b, pid("b"));
            ask("stop");
            assertEquals(0, s.awaitExit(WAIT));
        }
    }

    @Test
    void aReloadAddsChangesAndRemovesProgramsAndLeavesTheRestAlone() throws IOException {
        String keep = "[programs.keep]\ncommand = " + shell("exec sleep 600") + "\n\n";
        String change = "[programs.change]\ncommand = " + shell("exec sleep 600") + "\n";
        String drop = "[programs.drop]\ncommand = " + shell("exec sleep 600") + "\n\n";
        Path file = config(keep + drop + change);
        try (RunningProcess s = sentinel(file)) {
            awaitState("keep", "RUNNING");
            awaitState("change", "RUNNING");
            awaitState("drop", "RUNNING");
            long kept = pid("keep");
            long changed = pid("change");
            config(keep + change + "memory_limit = \"300M\"\n\n[programs.added]\ncommand = " + shell("exec sleep 600")
                    + "\n");
            String reply = ask("reload");
            assertTrue(reply.startsWith("OK"), reply);
            assertTrue(reply.contains("keep: unchanged"), reply);
            awaitState("added", "RUNNING");
            Await.until(WAIT, () -> "drop is gone: " + askQuietly("status"),
                    () -> !askQuietly("status").contains("drop "));
            Await.until(WAIT, "change runs again with a new pid", () -> {
                String st = askQuietly("status change");
                return st.contains(" state=RUNNING ") && !st.contains(" pid=" + changed + " ");
            });
            assertEquals(300L << 20, json("change").get("limit_bytes").asLong());
            assertEquals(kept, pid("keep"), "unchanged: not touched");
            s.awaitStderr("sentinel\\[sentinel\\]: reloaded ", WAIT);
            ask("stop");
            assertEquals(0, s.awaitExit(WAIT));
        }
    }

    @Test
    void aBrokenReloadIsRefusedWithItsLineAndChangesNothing() throws IOException {
        Path file = config("[programs.a]\ncommand = " + shell("exec sleep 600") + "\n");
        try (RunningProcess s = sentinel(file)) {
            awaitState("a", "RUNNING");
            long a = pid("a");
            Files.writeString(file, Files.readString(file) + "memory_limit = \"lots\"\n");
            String reply = ask("reload");
            assertTrue(reply.startsWith("ERR"), reply);
            assertTrue(reply.contains(file + ":"), "FILE:LINE: " + reply);
            assertTrue(reply.contains("memory_limit"), reply);
            assertEquals(a, pid("a"));
            assertEquals("RUNNING", json("a").get("state").asText());
            ask("stop");
            assertEquals(0, s.awaitExit(WAIT));
        }
    }

    /**
     * The file swapped for something that is not a config: a 50 MiB dump (reading it whole would
     * exhaust Sentinel's heap, and its lifeline would end every program), then a FIFO (whose read
     * would block until someone writes). Each reload is refused with a sentence; the program runs on.
     */
    @Test
    void aReloadOfAHugeFileOrAFifoIsRefusedAndTheProgramRunsOn() throws Exception {
        Path file = config("[programs.a]\ncommand = " + shell("exec sleep 600") + "\n");
        String good = Files.readString(file);
        try (RunningProcess s = sentinel(file)) {
            awaitState("a", "RUNNING");
            long a = pid("a");
            byte[] block = ("# " + "x".repeat(1 << 20) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            try (var out = Files.newOutputStream(file)) {
                for (int i = 0; i < 50; i++) {
                    out.write(block);
                }
            }
            String reply = ask("reload");
            assertTrue(reply.startsWith("ERR") && reply.contains("is larger than 4 MiB"), reply);
            Files.delete(file);
            assertEquals(0, new ProcessBuilder("mkfifo", file.toString()).start().waitFor());
            reply = ask("reload");
            assertTrue(reply.startsWith("ERR") && reply.contains("is not a regular file"), reply);
            assertEquals(a, pid("a"), "untouched");
            Files.delete(file);
            Files.writeString(file, good + "memory_limit = \"300M\"\n");
            assertTrue(ask("reload").startsWith("OK"), "and a good file after them reloads");
            ask("stop");
            assertEquals(0, s.awaitExit(WAIT));
        }
    }

    @Test
    void sighupReloadsTheFile() throws IOException {
        String a = "[programs.a]\ncommand = " + shell("exec sleep 600") + "\n\n";
        Path file = config(a);
        try (RunningProcess s = sentinel(file)) {
            awaitState("a", "RUNNING");
            long before = pid("a");
            config(a + "[programs.b]\ncommand = " + shell("exec sleep 600") + "\n");
            s.signal("HUP");
            awaitState("b", "RUNNING");
            assertEquals(before, pid("a"), "SIGHUP is not forwarded: a keeps running");
            s.signal("TERM");
            assertEquals(0, s.awaitExit(WAIT));
        }
    }

    @Test
    void aShutdownStopsInReversePriorityOrderAndLeavesNothingBehind() throws IOException {
        Path order = dir.resolve("order");
        // Each program appends its name to 'order' when SIGTERM reaches it.
        String trap = "trap 'echo %s >> " + order + "; exit 0' TERM; while :; do sleep 0.05; done";
        Path file = config("[programs.db]\npriority = 10\ncommand = " + shell(String.format(trap, "db")) + "\n\n"
                + "[programs.web]\npriority = 20\ncommand = " + shell(String.format(trap, "web")) + "\n\n"
                + "[programs.api]\npriority = 20\ncommand = " + shell(String.format(trap, "api")) + "\n");
        try (RunningProcess s = sentinel(file)) {
            awaitState("db", "RUNNING");
            awaitState("web", "RUNNING");
            awaitState("api", "RUNNING");
            s.signal("TERM");
            assertEquals(0, s.awaitExit(WAIT));
            List<String> stopped = Files.readAllLines(order);
            assertEquals(3, stopped.size(), stopped.toString());
            assertEquals("db", stopped.get(2), "the lowest priority stops last: " + stopped);
        }
    }

    @Test
    void whenSentinelIsKilledTheOneLifelineKillsEveryProgramsTree() throws IOException {
        Path file = config("[programs.a]\ncommand = " + shell("sleep 600 & wait") + "\n\n"
                + "[programs.b]\ncommand = " + shell("exec sleep 600") + "\n\n"
                + "[programs.c]\ncommand = " + shell("exec sleep 600") + "\n");
        try (RunningProcess s = sentinel(file)) {
            awaitState("a", "RUNNING");
            awaitState("b", "RUNNING");
            awaitState("c", "RUNNING");
            long shells = ProcessHandle.of(s.pid()).orElseThrow().children()
                    .filter(h -> h.info().commandLine().orElse("").contains("sentinel-lifeline")).count();
            assertEquals(1, shells, "one lifeline shell for all programs");
            s.signal("KILL");
            s.awaitExit(WAIT);
            // noProcessLeftBehind() fails the test if any program's process outlives the grace.
        }
    }

    @Test
    void onItsOwnSentinelExitsWithOneWhenAProgramFailedAndZeroWhenAllSucceeded() throws IOException {
        Path file = config("[programs.ok]\nrestart = \"never\"\ncommand = " + shell("exit 0") + "\n\n"
                + "[programs.bad]\nrestart = \"never\"\ncommand = " + shell("sleep 0.3; exit 3") + "\n");
        try (RunningProcess s = sentinel(file)) {
            assertEquals(1, s.awaitExit(WAIT));
        }
        file = config("[programs.ok]\nrestart = \"never\"\ncommand = " + shell("exit 0") + "\n\n"
                + "[programs.ok2]\ncommand = " + shell("sleep 0.3; exit 0") + "\n");
        try (RunningProcess s = sentinel(file)) {
            assertEquals(0, s.awaitExit(WAIT), "exit 0 ends on-failure programs too");
        }
    }

    @Test
    void aCommandThatIsNotFoundIsThatProgramsFailureAndTheOthersRun() throws IOException {
        Path file = config("[programs.missing]\ncommand = \"no-such-program-here --flag\"\n\n"
                + "[programs.a]\ncommand = " + shell("exec sleep 600") + "\n");
        try (RunningProcess s = sentinel(file)) {
            s.awaitStderr("sentinel\\[missing\\]: could not start the program: no-such-program-here: command not found",
                    WAIT);
            awaitState("missing", "FATAL");
            awaitState("a", "RUNNING");
            assertEquals(127, json("missing").get("exit_status").asInt());
            ask("stop");
            assertEquals(0, s.awaitExit(WAIT));
            assertEquals(1, count(s, "sentinel\\[missing\\]: could not start"), "no crash loop");
        }
    }

    @Test
    void twoProgramsWriteAtOnceEachLinePrefixedWhileAThirdFloods() throws IOException {
        String lines = "i=0; while [ $i -lt 200 ]; do echo line $i; i=$$((i+1)); done; exec sleep 600";
        Path file = config("[programs.a]\ncommand = " + shell(lines) + "\n\n"
                + "[programs.bbbbbb]\ncommand = " + shell(lines) + "\n\n"
                + "[programs.flood]\npriority = 1\ncommand = " + shell("exec yes flooding") + "\n");
        try (RunningProcess s = sentinel(file)) {
            s.awaitStdout("^a      \\| line 199$", WAIT);
            s.awaitStdout("^bbbbbb \\| line 199$", WAIT);
            List<String> out = new ArrayList<>(s.stdout());
            for (String prefix : List.of("a      | line ", "bbbbbb | line ")) {
                List<String> mine = out.stream().filter(l -> l.startsWith(prefix)).toList();
                assertEquals(200, mine.size(), prefix + ": every line, once, whole");
                for (int i = 0; i < 200; i++) {
                    assertEquals(prefix + i, mine.get(i));
                }
            }
            s.awaitStdout("^flood  \\| flooding$", WAIT);
            ask("stop");
            assertEquals(0, s.awaitExit(WAIT));
        }
    }

    @Test
    void configAndACommandTogetherAreAUsageError() throws IOException {
        Path file = config("[programs.a]\ncommand = \"true\"\n");
        try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel("--no-tui", "--config", file.toString(),
                "--", "sleep", "1"))) {
            assertEquals(2, s.awaitExit(WAIT));
            s.awaitStderr("give either --config FILE or a COMMAND, not both", WAIT);
        }
    }

    @Test
    void checkConfigReportsEveryProblemWithItsLineAndExitsTwo() throws IOException {
        Path file = dir.resolve("bad.toml");
        Files.writeString(file, "[programs.a]\ncommand = \"true\"\nmemory_limt = \"1G\"\n\n[programs.b]\ngrace = \"x\"\n");
        try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel("check-config", file.toString()))) {
            assertEquals(2, s.awaitExit(WAIT));
            s.awaitStderr(Pattern.quote(file + ":3: programs.a.memory_limt: ") + ".*memory_limit", WAIT);
            s.awaitStderr(Pattern.quote(file.toString()) + ":6: programs.b.grace: ", WAIT);
            s.awaitStderr(Pattern.quote(file.toString()) + ":5: programs.b: .*command", WAIT);
        }
        Path good = config("[programs.a]\ncommand = \"true\"\n");
        try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel("check-config", good.toString()))) {
            assertEquals(0, s.awaitExit(WAIT));
            s.awaitStdout(": OK, 1 program: a$", WAIT);
        }
    }

    @Test
    void aBrokenOrMissingFileIsExitTwoWithItsLineBeforeAnythingStarts() throws IOException {
        Path marker = dir.resolve("started");
        Path file = dir.resolve("broken.toml");
        Files.writeString(file, "[programs.a]\ncommand = \"touch " + marker + "\"\n[programs.b]\ncommand = \"true\"\n"
                + "restart = \"sometimes\"\n");
        try (RunningProcess s = sentinel(file)) {
            assertEquals(2, s.awaitExit(WAIT));
            s.awaitStderr("^sentinel: " + Pattern.quote(file.toString()) + ":5: programs.b.restart: ", WAIT);
        }
        assertTrue(Files.notExists(marker), "nothing started");
        try (RunningProcess s = sentinel(dir.resolve("nope.toml"))) {
            assertEquals(2, s.awaitExit(WAIT));
            s.awaitStderr(Pattern.quote(dir.resolve("nope.toml").toString()), WAIT);
        }
    }

    @Test
    void theShippedExampleLoadsWithCheckConfig() {
        Path example = JavaPrograms.repo().resolve("examples/sentinel.toml");
        try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel("check-config", example.toString()))) {
            assertEquals(0, s.awaitExit(WAIT), s.stderr().toString());
        }
    }
}
