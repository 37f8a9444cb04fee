package dev.sentinel.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The option table is the one place a setting is declared, so what every consumer relies on is
 * checked here once: keys, names and variables are unique and follow one pattern, every default
 * parses, and the only default a file changes is the restart policy's.
 */
class OptionTableTest {

    private static final List<Option<?>> ALL = OptionTable.ALL;

    @Test
    void theTableHasEveryOptionOnce() {
        assertEquals(ProgramOptions.ALL.size() + SentinelOptions.ALL.size(), ALL.size());
        assertEquals(ALL.size(), new HashSet<>(ALL).size());
        assertTrue(ProgramOptions.ALL.stream().allMatch(Option::perProgram));
        assertTrue(SentinelOptions.ALL.stream().noneMatch(Option::perProgram));
    }

    @Test
    void keysNamesAndVariablesAreUniqueAndFollowOnePattern() {
        List<String> keys = new ArrayList<>(ProgramOptions.KEYS);
        keys.addAll(SentinelOptions.KEYS);
        assertEquals(keys.size(), new HashSet<>(keys).size(), keys.toString());
        Set<String> names = new HashSet<>();
        Set<String> variables = new HashSet<>();
        for (Option<?> o : ALL) {
            if (o.key() != null) {
                // A key of a program's sub-table ([programs.NAME.check]) is written with its table.
                assertTrue(o.key().matches("([a-z]+\\.)?[a-z]+(_[a-z]+)*"), o.key());
            }
            for (String name : o.names()) {
                assertTrue(names.add(name), name + " twice");
                assertTrue(name.matches("-[a-zA-Z]|--[a-z]+(-[a-z]+)*"), name);
            }
            if (o.env() != null) {
                assertTrue(variables.add(o.env()), o.env() + " twice");
                assertEquals("SENTINEL_" + o.longName().substring(2).replace('-', '_').toUpperCase(Locale.ROOT),
                        o.env(), "the variable of " + o.longName());
            }
            if (o.key() != null && o.onCommandLine() && o.cli() != Option.Cli.FLAG) {
                assertEquals(o.key().replace('.', '_'), o.longName().substring(2).replace('-', '_'),
                        "the key of " + o.longName());
            }
        }
    }

    @Test
    void everyProgramOptionHasAKeyButTheFewThatAreNotInAFile() {
        List<Option<?>> withoutKey = ProgramOptions.ALL.stream().filter(o -> o.key() == null).toList();
        // The name is a program's table, and the log file is the dashboard's copy of one program's output.
        assertEquals(List.of(ProgramOptions.NAME, ProgramOptions.LOG_FILE), withoutKey);
    }

    @Test
    void everyOptionSaysWhatItSetsAndHowItIsWritten() {
        for (Option<?> o : ALL) {
            String which = o.key() + " " + o.names();
            assertFalse(o.help().isBlank(), which);
            assertFalse(o.help().contains("]("), "the help is read in a terminal too; a link goes in seeAlso: " + which);
            assertTrue(o.help().endsWith("."), "a sentence: " + which);
            if (o.onCommandLine() && o.cli() != Option.Cli.FLAG) {
                assertTrue(o.label().matches("[A-Z]+(:[A-Z]+)?"), which);
            }
            if (o.cli() == Option.Cli.FLAG) {
                assertNotNull(o.defaultValue(), which);
                assertNotEquals(o.defaultValue(), o.flagValue(), "a flag that changes nothing: " + which);
            }
            if (o.type() == null) {
                assertFalse(o.onCommandLine(), which);
            }
        }
    }

    @Test
    void everyProgramKeyIsAppliedToTheBuilderButThoseTheReaderExpands() {
        List<Option<?>> byHand = ProgramOptions.ALL.stream().filter(o -> o.key() != null && o.setter() == null)
                .toList();
        assertEquals(List.of(ProgramOptions.COMMAND, ProgramOptions.ENV, ProgramOptions.INSTANCES), byHand);
    }

    @Test
    void theFileDefaultDiffersFromTheCommandLinesOnlyForRestart() {
        for (Option<?> o : ALL) {
            if (o == ProgramOptions.RESTART) {
                assertEquals(RestartPolicy.NEVER, o.defaultValue());
                assertEquals(RestartPolicy.ON_FAILURE, o.fileDefault(), "a file describes programs to keep up");
            } else {
                assertEquals(o.defaultValue(), o.fileDefault(), o.key() + " " + o.names());
                assertEquals(o.defaultWord(), o.fileDefaultWord(), o.key() + " " + o.names());
            }
        }
    }

    @Test
    void aDefaultIsAValueOrWordsNeverBoth() {
        for (Option<?> o : ALL) {
            assertFalse(o.defaultWord() != null && o.defaultText() != null, o.key() + " " + o.names());
            assertEquals(o.defaultWord() == null, o.defaultValue() == null, o.key() + " " + o.names());
        }
    }

    @Test
    void theBuildersDefaultsAreTheTables() {
        ProgramSettings p = ProgramSettings.builder("app", List.of("app")).build();
        assertEquals(ProgramOptions.MEMORY_LIMIT.defaultValue(), p.limit());
        assertEquals(ProgramOptions.GRACE.defaultValue(), p.grace());
        assertEquals(ProgramOptions.INTERVAL.defaultValue(), p.interval());
        assertEquals(ProgramOptions.TOLERATE.defaultValue(), p.tolerate());
        assertEquals(ProgramOptions.STOP_SIGNAL.defaultValue(), p.stopSignal());
        assertEquals(new RestartSettings(ProgramOptions.RESTART.defaultValue(),
                ProgramOptions.RESTART_DELAY.defaultValue(), ProgramOptions.RESTART_DELAY_MAX.defaultValue(),
                ProgramOptions.STABLE_AFTER.defaultValue(), ProgramOptions.MAX_RESTARTS.defaultValue()), p.restart());
        assertEquals(RestartSettings.NEVER, p.restart());
        assertEquals(ProgramOptions.KERNEL_LIMIT.defaultValue().withAllowSwap(ProgramOptions.ALLOW_SWAP.defaultValue()),
                p.kernel());
        assertEquals((int) ProgramOptions.PRIORITY.defaultValue(), p.priority());
        assertEquals(ProgramOptions.AUTOSTART.defaultValue(), p.autostart());
        assertEquals(ProgramOptions.OUTPUT.defaultValue(), p.output());
        assertEquals(new HookSettings(ProgramOptions.HOOK.defaultValue(), ProgramOptions.HOOK_EVENTS.defaultValue(),
                ProgramOptions.HOOK_TIMEOUT.defaultValue()), p.hook());
        assertEquals(HookSettings.NONE, p.hook());
        assertNull(p.cwd());
        assertEquals(java.util.Map.of(), p.env());
    }

    @Test
    void theDocumentedDefaultsHoldTheirValues() {
        assertEquals(MemoryLimit.parse("512M"), ProgramOptions.MEMORY_LIMIT.defaultValue());
        assertEquals(Duration.ofSeconds(3), ProgramOptions.GRACE.defaultValue());
        assertEquals(Duration.ofMillis(250), ProgramOptions.INTERVAL.defaultValue());
        assertEquals(999, ProgramSettings.DEFAULT_PRIORITY);
        assertEquals(8000, SentinelOptions.METRICS_PORT.defaultValue());
        assertEquals(0600, SentinelOptions.SOCKET_MODE.defaultValue());
    }

    @Test
    void aTypeReadsTheWordsItShowsBack() {
        for (Option<?> o : ALL) {
            assertTrue(showsBack(o), o.key() + " " + o.names());
        }
    }

    private static <T> boolean showsBack(Option<T> o) {
        if (o.type() == null || o.defaultValue() == null) {
            return true;
        }
        return Objects.equals(o.defaultValue(), o.type().parse(o.type().show(o.defaultValue())));
    }
}
