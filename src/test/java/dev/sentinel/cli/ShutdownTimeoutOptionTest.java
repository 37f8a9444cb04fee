package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentinel.testing.JavaPrograms;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shutdown_timeout} and {@code --shutdown-timeout}: a bad value is one sentence with the
 * line and the key, and exit 2, from {@code check-config}, from {@code --config} and from the
 * command line or its variable.
 */
class ShutdownTimeoutOptionTest {

    @TempDir
    Path dir;

    private record Checked(int exit, String out, String err) {
    }

    private Checked checkConfig(String value) throws Exception {
        Path file = dir.resolve("s.toml");
        Files.writeString(file, "[sentinel]\nshutdown_timeout = " + value + "\n\n[programs.a]\ncommand = \"sleep 1\"\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CheckConfigCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), file.toString());
        return new Checked(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkConfigSaysABadValueInOneSentenceAndExits2() throws Exception {
        Checked c = checkConfig("\"soon\"");
        assertEquals(2, c.exit());
        assertEquals(dir.resolve("s.toml") + ":2: sentinel.shutdown_timeout: 'soon' is not a duration; use a duration "
                + "like 3s, 500ms, 2m, 1.5s or a bare number of seconds.", c.err().lines().findFirst().orElse(""));
        Checked zero = checkConfig("0");
        assertEquals(2, zero.exit());
        assertEquals(dir.resolve("s.toml") + ":2: sentinel.shutdown_timeout: '0ms' is too short; use at least 1ms.",
                zero.err().lines().findFirst().orElse(""));
    }

    @Test
    void checkConfigTakesAStringOrANumberOfSeconds() throws Exception {
        assertEquals(0, checkConfig("\"25s\"").exit());
        assertEquals(0, checkConfig("40").exit());
    }

    @Test
    void theCommandLineAndItsVariableSayABadValueInOneSentenceAndExit2() throws Exception {
        ToolRun flag = ToolRun.run(dir, Map.of(), JavaPrograms.sentinel("--no-tui", "--shutdown-timeout", "soon",
                "--", "true"));
        assertEquals(2, flag.exit());
        assertEquals("sentinel: Invalid value for option '--shutdown-timeout': 'soon' is not a duration; use a "
                + "duration like 3s, 500ms, 2m, 1.5s or a bare number of seconds.", flag.stderr().lines().findFirst()
                .orElse(""));
        ToolRun env = ToolRun.run(dir, Map.of("SENTINEL_SHUTDOWN_TIMEOUT", "0"), JavaPrograms.sentinel("--no-tui",
                "--no-socket", "--no-metrics", "--", "true"));
        assertEquals(2, env.exit());
        assertEquals(List.of("sentinel: --shutdown-timeout: '0ms' is too short; use at least 1ms."),
                env.stderr().lines().toList());
    }
}
