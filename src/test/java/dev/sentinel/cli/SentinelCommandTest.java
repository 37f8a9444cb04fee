package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.TuiMode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/** The command-line model built in code: what it accepts, its defaults, and its help. */
class SentinelCommandTest {

    private static ParseResult parse(String... args) {
        CommandLine cli = new CommandLine(SentinelCommand.spec());
        cli.setStopAtPositional(true);
        return cli.parseArgs(args);
    }

    @Test
    void optionsAreTypedAndTheCommandKeepsItsOwnOptions() {
        ParseResult p = parse("-m", "1.5G", "-g", "500ms", "-i", "2s", "--tui", "never", "-p", "0", "app", "-m", "x");
        MemoryLimit limit = CommandModels.value(p, "-m");
        assertEquals(MemoryLimit.parse("1.5G"), limit);
        assertEquals(Duration.ofMillis(500), CommandModels.value(p, "--grace"));
        assertEquals(Duration.ofSeconds(2), CommandModels.value(p, "--interval"));
        assertEquals(TuiMode.NEVER, CommandModels.<TuiMode>value(p, "--tui"));
        assertEquals(0, CommandModels.<Integer>value(p, "--metrics-port"));
        assertEquals(List.of("app", "-m", "x"), p.commandSpec().positionalParameters().get(0).getValue());
    }

    @Test
    void defaultsApplyWhenNothingIsGivenAndNoVariableIsSet() {
        // The suite does not set SENTINEL_* variables; GuardingTest covers them in a real process.
        ParseResult p = parse("app");
        assertEquals(MemoryLimit.parse("512M"), CommandModels.value(p, "--memory-limit"));
        assertEquals(Duration.ofSeconds(3), CommandModels.value(p, "--grace"));
        assertEquals(Duration.ofMillis(250), CommandModels.value(p, "--interval"));
        assertEquals(8000, CommandModels.<Integer>value(p, "--metrics-port"));
        assertEquals("0600", CommandModels.value(p, "--socket-mode"));
        assertNull(CommandModels.value(p, "--socket"));
        assertFalse(p.hasMatchedOption("--no-socket"));
    }

    @Test
    void helpNamesEveryOptionWithItsVariableAndDefault() {
        String help = new CommandLine(SentinelCommand.spec()).getUsageMessage(CommandLine.Help.Ansi.OFF);
        assertTrue(help.contains("Usage: sentinel [OPTIONS] [--] COMMAND [ARGS...]"), help);
        for (OptionSpec o : SentinelCommand.spec().options()) {
            assertTrue(help.contains(o.longestName()), o.longestName() + " missing from\n" + help);
        }
        assertTrue(help.contains("SENTINEL_MEMORY_LIMIT, default 512M"), help);
        assertTrue(help.contains("SENTINEL_INTERVAL, default 250ms"), help);
        assertTrue(help.contains("-V, --version"), help);
    }

    @Test
    void helpAndVersionAreRecognised() {
        assertTrue(parse("--help").isUsageHelpRequested());
        assertTrue(parse("-V").isVersionHelpRequested());
    }
}
