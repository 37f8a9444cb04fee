package dev.sentinel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sentinel.settings.ProgramOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of problem, each at the line to fix and with the key, in one sentence. */
class ConfigErrorsTest {

    @TempDir
    Path dir;

    private ConfigFiles files;

    @BeforeEach
    void files() {
        files = new ConfigFiles(dir);
    }

    private static void assertProblem(ConfigProblem p, int line, String key, String message) {
        assertEquals(line, p.line(), p.toString());
        assertEquals(key, p.key(), p.toString());
        assertEquals(message, p.message(), p.toString());
    }

    private static void assertProblemStarts(ConfigProblem p, int line, String key, String start) {
        assertEquals(line, p.line(), p.toString());
        assertEquals(key, p.key(), p.toString());
        assertTrue(p.message().startsWith(start), p.toString());
    }

    // ---- the file itself

    @Test
    void aMissingFileIsOneSentenceWithoutALine() throws Exception {
        Path missing = dir.resolve("nope.toml");
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> ConfigLoader.load(missing, Map.of()));
        assertEquals(List.of(missing + ": no such file; give the path of an existing TOML file."),
                e.problems().stream().map(ConfigProblem::toString).toList());
    }

    @Test
    void aDirectoryIsNotAConfigFile() {
        List<ConfigProblem> problems = ConfigLoader.check(dir, Map.of());
        assertEquals(List.of(dir + ": is a directory; give the path of a TOML file."),
                problems.stream().map(ConfigProblem::toString).toList());
    }

    /** A FIFO would block the read until someone writes; a device like /dev/zero never ends. */
    @Test
    void aFifoOrADeviceIsNotAConfigFileAndIsNotOpened() throws Exception {
        Path fifo = dir.resolve("fifo.toml");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        for (Path notAFile : List.of(fifo, Path.of("/dev/zero"))) {
            assertEquals(List.of(notAFile + ": is not a regular file (a FIFO, a device or a socket); give the path of "
                    + "a TOML file."), ConfigLoader.check(notAFile, Map.of()).stream().map(ConfigProblem::toString).toList());
        }
    }

    /** Reading a 50 MiB file whole would take more heap than a Sentinel has: it is refused after 4 MiB. */
    @Test
    void aFileLargerThanFourMibIsRefusedWithoutReadingItWhole() throws Exception {
        Path big = dir.resolve("big.toml");
        byte[] line = ("# " + "x".repeat(1021) + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 50 * 1024; i++) {
                out.write(line);
            }
        }
        assertEquals(List.of(big + ": is larger than 4 MiB; a config file is text of a few KiB (is this the right "
                + "file?)."), ConfigLoader.check(big, Map.of()).stream().map(ConfigProblem::toString).toList());
        Path justUnder = dir.resolve("under.toml");
        try (var out = Files.newOutputStream(justUnder)) {
            out.write("[programs.a]\ncommand = \"true\"\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            for (int i = 0; i < 4 * 1024 - 1; i++) {
                out.write(line);
            }
        }
        assertEquals(List.of(), ConfigLoader.check(justUnder, Map.of()), "a comment-heavy file under the bound loads");
    }

    @Test
    void anUnreadableFileSaysPermissionDenied() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads every file");
        Path file = files.write("[programs.a]\ncommand = \"x\"\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assertProblemStarts(ConfigLoader.check(file, Map.of()).get(0), 0, null, "permission denied");
    }

    @Test
    void aFileThatCannotBeReadForAnotherReasonSaysWhy() {
        // Readable by nobody, root included: a path through a regular file.
        Path through = files.write("plain.txt", "x").resolve("sentinel.toml");
        ConfigProblem p = ConfigLoader.check(through, Map.of()).get(0);
        assertProblemStarts(p, 0, null, "cannot be read (");
        assertTrue(p.toString().startsWith(through + ": cannot be read ("), p.toString());
    }

    @Test
    void aFileThatIsNotUtf8IsReported() throws Exception {
        Path file = dir.resolve("latin1.toml");
        Files.write(file, new byte[] {'a', ' ', '=', ' ', '"', (byte) 0xE9, '"', '\n'});
        assertProblem(ConfigLoader.check(file, Map.of()).get(0), 0, null, "is not UTF-8 text; a TOML file is UTF-8.");
    }

    @Test
    void aSyntaxErrorIsReportedAtTheLibrarysLine() {
        ConfigProblem p = files.problem("""
                [programs.a]
                command = "sleep 1"
                grace =
                """);
        assertProblemStarts(p, 3, null, "not valid TOML at column 8: Unexpected end of line");
        assertTrue(p.toString().startsWith(dir.resolve("sentinel.toml") + ":3: not valid TOML"), p.toString());
    }

    @Test
    void aProgramDefinedTwiceIsASyntaxErrorAtTheSecondTable() {
        ConfigProblem p = files.problems("""
                [programs.a]
                command = "sleep 1"

                [programs.a]
                command = "sleep 2"
                """).get(0);
        assertProblemStarts(p, 4, null, "not valid TOML");
        assertTrue(p.message().contains("previously defined at line 1"), p.message());
    }

    // ---- unknown keys and tables

    @Test
    void anUnknownProgramKeySuggestsTheClosestOne() {
        assertProblem(files.problem("""
                [programs.web]
                command = "sleep 1"
                memory_limt = "1G"
                """), 3, "programs.web.memory_limt", "unknown key; did you mean 'memory_limit'?");
    }

    @Test
    void anUnknownKeyFarFromAnyListsTheAcceptedOnes() {
        assertProblemStarts(files.problem("""
                [programs.web]
                command = "sleep 1"
                colour = "red"
                """), 3, "programs.web.colour", "unknown key; a program takes command, cwd, env, memory_limit,");
    }

    @Test
    void anUnknownSentinelKeySuggestsTheClosestOne() {
        assertProblem(files.problem("""
                [sentinel]
                metrics_prot = 9000
                [programs.a]
                command = "sleep 1"
                """), 2, "sentinel.metrics_prot", "unknown key; did you mean 'metrics_port'?");
    }

    @Test
    void anUnknownDefaultsKeyIsReported() {
        assertProblem(files.problem("""
                [defaults]
                gracee = "1s"
                [programs.a]
                command = "sleep 1"
                """), 2, "defaults.gracee", "unknown key; did you mean 'grace'?");
    }

    @Test
    void aKeyInTheWrongTableSaysWhereItBelongs() {
        List<ConfigProblem> problems = files.problems("""
                [sentinel]
                memory_limit = "1G"
                [programs.a]
                command = "sleep 1"
                metrics_port = 9000
                """);
        assertProblem(problems.get(0), 2, "sentinel.memory_limit",
                "this key belongs in [defaults] or in a [programs.NAME] table; move it there.");
        assertProblem(problems.get(1), 5, "programs.a.metrics_port",
                "this key belongs in the [sentinel] table; move it there.");
    }

    @Test
    void anUnknownTopLevelTableSuggestsTheClosestOne() {
        List<ConfigProblem> problems = files.problems("""
                [program.web]
                command = "sleep 1"
                """);
        // Problems without a line come first.
        assertProblem(problems.get(0), 0, null,
                "no programs; add a table like [programs.web] with command = \"python3 app.py\" under it.");
        assertProblem(problems.get(1), 1, "program", "unknown table; did you mean [programs]?");
    }

    @Test
    void anUnknownTopLevelKeyIsReported() {
        assertProblem(files.problem("""
                keep_running = true
                [programs.a]
                command = "sleep 1"
                """), 1, "keep_running", "this key belongs in the [sentinel] table; move it there.");
    }

    @Test
    void aCommandInDefaultsIsRefused() {
        assertProblem(files.problem("""
                [defaults]
                command = "sleep 1"
                [programs.a]
                command = "sleep 1"
                """), 2, "defaults.command",
                "a command cannot come from [defaults]; set it in each [programs.NAME] table.");
    }

    // ---- wrong types

    @Test
    void aWrongTypeNamesWhatWasFoundAndWhatIsAccepted() {
        List<ConfigProblem> problems = files.problems("""
                [sentinel]
                metrics = "yes"
                [programs.a]
                command = 5
                grace = true
                env = "A=1"
                priority = "high"
                [programs.b]
                command = ["sleep", 10]
                """);
        assertProblem(problems.get(0), 2, "sentinel.metrics",
                "a string is not true or false; use true, or false to serve no metrics.");
        assertProblem(problems.get(1), 4, "programs.a.command", "an integer (5) is not a command; use an array of "
                + "words like [\"python3\", \"app.py\"] or a string like \"python3 app.py\".");
        assertProblem(problems.get(2), 5, "programs.a.grace", "a boolean (true) is not a duration; use a duration "
                + "like 3s, 500ms, 2m, 1.5s or a bare number of seconds.");
        assertProblemStarts(problems.get(3), 6, "programs.a.env", "a string is not a table of variables; use a table");
        assertProblemStarts(problems.get(4), 7, "programs.a.priority", "a string is not a priority; use a whole");
        assertProblem(problems.get(5), 9, "programs.b.command", "word 2 is an integer (10); every word of the "
                + "command must be a string, like [\"sleep\", \"10\"].");
        assertEquals(6, problems.size(), problems.toString());
    }

    @Test
    void aProgramThatIsNotATableIsReported() {
        assertProblemStarts(files.problem("""
                [programs]
                web = "python3 app.py"
                """), 2, "programs.web", "a string is not a program; write a table [programs.web]");
    }

    @Test
    void aSectionThatIsNotATableIsReported() {
        List<ConfigProblem> problems = files.problems("""
                sentinel = "on"
                [programs.a]
                command = "sleep 1"
                """);
        assertProblem(problems.get(0), 1, "sentinel",
                "a string is not a table; write it as [sentinel] with its keys under it.");
    }

    // ---- bad values

    @Test
    void badSizesDurationsPoliciesAndSignalsUseTheCommandLinesSentences() {
        List<ConfigProblem> problems = files.problems("""
                [programs.a]
                command = "sleep 1"
                memory_limit = "12XB"
                grace = "3 seconds"
                restart = "sometimes"
                stop_signal = "BOOM"
                interval = "0"
                """);
        assertProblem(problems.get(0), 3, "programs.a.memory_limit", "'12XB' is not a memory limit; use a size like "
                + "512M, 1.5G, 200MiB, 300m or 1048576 (bytes), a percentage like 80%, or none.");
        assertProblem(problems.get(1), 4, "programs.a.grace", "'3 seconds' is not a duration; use a duration like "
                + "3s, 500ms, 2m, 1.5s or a bare number of seconds.");
        assertProblem(problems.get(2), 5, "programs.a.restart",
                "'sometimes' is not a restart policy; use never, on-failure or always.");
        assertProblem(problems.get(3), 6, "programs.a.stop_signal",
                "'BOOM' is not a stop signal; use TERM, INT, HUP, QUIT, USR1 or USR2 (SIGTERM etc. too).");
        assertProblem(problems.get(4), 7, "programs.a.interval",
                "'0ms' is too short; the interval must be at least 1ms.");
    }

    @Test
    void killIsNotAStopSignal() {
        assertProblemStarts(files.problem("""
                [programs.a]
                command = "sleep 1"
                stop_signal = "SIGKILL"
                """), 3, "programs.a.stop_signal", "SIGKILL cannot be the stop signal");
    }

    @Test
    void aMeasureThatIsNoneOfTheThreeIsOneSentence() {
        assertProblem(files.problems("""
                [programs.a]
                command = "sleep 1"
                measure = "uss"
                """).get(0), 3, "programs.a.measure", "'uss' is not a memory measure; use \"rss\", \"pss\" or "
                + "\"cgroup\".");
    }

    @Test
    void badContainmentValuesAreReported() {
        List<ConfigProblem> problems = files.problems("""
                [sentinel]
                cgroup = "maybe"
                [programs.a]
                command = "sleep 1"
                kernel_limit = "lots"
                allow_swap = "yes"
                """);
        assertProblem(problems.get(0), 2, "sentinel.cgroup", "'maybe' is not a cgroup mode; use auto, require or off.");
        assertProblem(problems.get(1), 5, "programs.a.kernel_limit", "'lots' is not a kernel limit; use auto (the "
                + "limit plus 10 %, at least 16 MiB more), off, or a size like 512M, 1.5G, 200MiB, 300m or 1048576 "
                + "(bytes).");
        assertProblemStarts(problems.get(2), 6, "programs.a.allow_swap", "");
    }

    @Test
    void badHookValuesAreReported() {
        List<ConfigProblem> problems = files.problems("""
                [programs.a]
                command = "sleep 1"
                hook = ""
                hook_events = "exited, exploded"
                hook_timeout = "0"
                """);
        assertEquals(3, problems.size(), problems.toString());
        assertProblemStarts(problems.get(0), 3, "programs.a.hook", "");
        assertProblem(problems.get(1), 4, "programs.a.hook_events", "'exploded' is not an event a hook can run for; "
                + "use a comma-separated list of limit-crossed, signal-sent, exited, restart-scheduled, gave-up, "
                + "kernel-oom, ready, not-ready, check-failed, check-passed (or all).");
        assertProblem(problems.get(2), 5, "programs.a.hook_timeout", "0 is too short; a hook's timeout must be above 0.");
    }

    @Test
    void badSentinelValuesAreReported() {
        List<ConfigProblem> problems = files.problems("""
                [sentinel]
                tui = "sometimes"
                metrics_port = 70000
                socket_mode = "0999"
                socket = true
                [programs.a]
                command = "sleep 1"
                """);
        assertProblem(problems.get(0), 2, "sentinel.tui",
                "'sometimes' is not a dashboard mode; use \"auto\", \"always\" or \"never\".");
        assertProblem(problems.get(1), 3, "sentinel.metrics_port",
                "70000 is above 65535; use a port from 0 to 65535 (0 picks a free one).");
        assertProblem(problems.get(2), 4, "sentinel.socket_mode",
                "'0999' is not a file mode; use an octal string like \"0600\" or \"0660\".");
        assertProblemStarts(problems.get(3), 5, "sentinel.socket", "true is not accepted");
    }

    @Test
    void aNegativePortIsReported() {
        assertProblemStarts(files.problem("""
                [sentinel]
                metrics_port = -1
                [programs.a]
                command = "sleep 1"
                """), 2, "sentinel.metrics_port", "-1 is negative; use a port from 0 to 65535");
    }

    @Test
    void negativeMaxRestartsIsReported() {
        assertProblem(files.problem("""
                [programs.a]
                command = "sleep 1"
                max_restarts = -1
                """), 3, "programs.a.max_restarts", "-1 is negative; use a whole number like 10, or 0 to never give up.");
    }

    @Test
    void instancesBelowOneIsReported() {
        assertProblem(files.problem("""
                [programs.a]
                command = "sleep 1"
                instances = 0
                """), 3, "programs.a.instances", "0 is below 1; use a whole number from 1 to 1000.");
    }

    @Test
    void aWrittenRestartDelayMaxBelowTheDelayIsReported() {
        assertProblem(files.problem("""
                [programs.a]
                command = "sleep 1"
                restart_delay = "10s"
                restart_delay_max = "5s"
                """), 4, "programs.a.restart_delay_max", "5s is shorter than restart_delay (10s); use at least the "
                + "restart_delay, since the delay only grows up to this cap.");
    }

    // ---- programs and names

    @Test
    void aProgramWithoutACommandIsReportedAtItsTable() {
        assertProblem(files.problem("""
                [programs.a]
                command = "sleep 1"

                [programs.b]
                grace = "1s"
                """), 4, "programs.b", "no command; add command = [\"program\", \"arg\"] or command = \"program arg\".");
    }

    @Test
    void anEmptyCommandIsReported() {
        List<ConfigProblem> problems = files.problems("""
                [programs.a]
                command = ""
                [programs.b]
                command = []
                [programs.c]
                command = "   "
                [programs.d]
                command = ["", "x"]
                """);
        assertProblemStarts(problems.get(0), 2, "programs.a.command", "the command is empty; use an array of words");
        assertProblemStarts(problems.get(1), 4, "programs.b.command", "the command is empty");
        assertProblemStarts(problems.get(2), 6, "programs.c.command", "the command is empty");
        assertProblemStarts(problems.get(3), 8, "programs.d.command", "the program (the first word) is empty");
    }

    @Test
    void anUnclosedQuoteInACommandIsReported() {
        assertProblem(files.problem("""
                [programs.a]
                command = "sh -c 'echo hi"
                """), 2, "programs.a.command", "the command 'sh -c 'echo hi' has an unclosed single quote; close it, "
                + "or give the command as an array of words.");
    }

    @Test
    void noProgramsAtAllIsReported() {
        assertProblem(files.problem("""
                [sentinel]
                tui = "never"
                """), 0, null,
                "no programs; add a table like [programs.web] with command = \"python3 app.py\" under it.");
        assertProblemStarts(files.problem("""
                [programs]
                """), 1, null, "no programs");
    }

    @Test
    void anInvalidNameIsReported() {
        assertProblem(files.problem("""
                [programs."my app"]
                command = "sleep 1"
                """), 1, "programs.\"my app\"",
                "'my app' is not a valid program name; use letters, digits, '_', '.' and '-'.");
    }

    @Test
    void allCannotNameAProgramBecauseTheSocketUsesItForEveryProgram() {
        assertProblem(files.problem("""
                [programs.All]
                command = "sleep 1"
                """), 1, "programs.All",
                "'All' cannot name a program: the socket's 'all' means every program; choose another name.");
    }

    @Test
    void anInstanceNamedLikeAnotherProgramIsADuplicateName() {
        assertProblem(files.problem("""
                [programs.web]
                command = "sleep 1"
                instances = 2

                [programs.web-2]
                command = "sleep 2"
                """), 5, "programs.web-2", "'web-2' is the name of both instance 2 of programs.web (line 1) and "
                + "programs.web-2 (line 5); rename one of them.");
    }

    @Test
    void twoProgramsWithOneOutputFileAreReported() {
        assertProblem(files.problem("""
                [programs.a]
                command = "sleep 1"
                output = "logs/out.log"

                [programs.b]
                command = "sleep 1"
                output = "./logs/../logs/out.log"
                """), 7, "programs.b.output", "'" + dir.resolve("logs/out.log") + "' is the output file of both 'a' "
                + "and 'b'; give each program its own file.");
    }

    @Test
    void instancesSharingAnOutputFileAreToldToUseInstance() {
        assertProblem(files.problem("""
                [programs.web]
                command = "sleep 1"
                instances = 2
                output = "web.log"
                """), 4, "programs.web.output", "'" + dir.resolve("web.log") + "' is the output file of both 'web-1' "
                + "and 'web-2'; give each program its own file (put ${INSTANCE} in the path).");
    }

    // ---- all at once

    @Test
    void everyProblemIsReportedAtOnceInTheFilesOrder() {
        List<ConfigProblem> problems = files.problems("""
                [sentinel]
                tui = "maybe"

                [defaults]
                grace = "forever"

                [programs.a]
                command = "sleep 1"
                memory_limit = "lots"

                [programs.b]
                restart = "sometimes"
                """);
        assertEquals(List.of(2, 5, 9, 11, 12), problems.stream().map(ConfigProblem::line).toList(),
                problems.toString());
    }

    @Test
    void aBadDefaultIsReportedOnceAtItsOwnLineHoweverManyProgramsUseIt() {
        ConfigProblem p = files.problem("""
                [defaults]
                memory_limit = "12XB"

                [programs.a]
                command = "sleep 1"
                [programs.b]
                command = "sleep 1"
                instances = 3
                """);
        assertEquals(2, p.line());
        assertEquals("defaults.memory_limit", p.key());
    }

    @Test
    void aBadDefaultIsReportedEvenWhereEveryProgramOverridesIt() {
        assertProblemStarts(files.problem("""
                [defaults]
                grace = "soon"
                [programs.a]
                command = "sleep 1"
                grace = "1s"
                """), 2, "defaults.grace", "'soon' is not a duration");
    }

    @Test
    void theProblemReadsFileLineKeyMessage() {
        ConfigProblem p = files.problem("""
                [programs.web]
                command = "sleep 1"
                memory_limit = "12XB"
                """);
        assertEquals(dir.resolve("sentinel.toml") + ":3: programs.web.memory_limit: '12XB' is not a memory limit; "
                + "use a size like 512M, 1.5G, 200MiB, 300m or 1048576 (bytes), a percentage like 80%, or none.", p.toString());
    }

    @Test
    void didYouMeanSuggestsOnlyCloseKeys() {
        List<String> keys = ProgramOptions.KEYS;
        assertEquals("memory_limit", DidYouMean.closest("memory-limit", keys));
        assertEquals("grace", DidYouMean.closest("grcae", keys));
        assertEquals("restart_delay", DidYouMean.closest("restart_dealy", keys));
        assertNull(DidYouMean.closest("colour", keys));
        assertNull(DidYouMean.closest("x", keys));
    }
}
