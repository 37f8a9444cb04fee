package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.platform.Signal;
import org.junit.jupiter.api.Test;

class CommandParserTest {

    @Test
    void questions() {
        assertEquals(new Command.Status(false), CommandParser.parse("status"));
        assertEquals(new Command.Status(true), CommandParser.parse("status json"));
        assertEquals(new Command.Status(true), CommandParser.parse("json"));
        assertEquals(new Command.Watch(false), CommandParser.parse("watch"));
        assertEquals(new Command.Watch(true), CommandParser.parse("watch json"));
        assertEquals(new Command.Help(), CommandParser.parse("help"));
        assertEquals(new Command.Version(), CommandParser.parse("version"));
        assertEquals(new Command.Ping(), CommandParser.parse("ping"));
        assertFalse(CommandParser.parse("status").isOrder());
    }

    @Test
    void eventsAndHistory() {
        assertEquals(new Command.Events(20), CommandParser.parse("events"));
        assertEquals(new Command.Events(5), CommandParser.parse("EVENTS 5"));
        assertEquals(new Command.History(false), CommandParser.parse("history"));
        assertEquals(new Command.History(true), CommandParser.parse("history json"));
        assertFalse(CommandParser.parse("events 3").isOrder());
        for (String bad : new String[] {"events 0", "events -1", "events many", "events 1 2", "events 99999999999"}) {
            Command c = CommandParser.parse(bad);
            assertInstanceOf(Command.Invalid.class, c, bad);
            assertTrue(((Command.Invalid) c).reason().startsWith("'events' takes nothing or a count from 1 to "), bad);
        }
        assertInstanceOf(Command.Invalid.class, CommandParser.parse("history yaml"));
    }

    @Test
    void healthIsAQuestionWithAnOptionalVerbose() {
        assertEquals(new Command.Health(false), CommandParser.parse("health"));
        assertEquals(new Command.Health(true), CommandParser.parse("Health VERBOSE"));
        assertFalse(CommandParser.parse("health").isOrder());
        assertEquals("'health' takes nothing or 'verbose', not 'web'; try 'help'", invalid("health web"));
    }

    @Test
    void orders() {
        assertEquals(new Command.Start(), CommandParser.parse("start"));
        assertTrue(CommandParser.parse("start").isOrder());
        assertInstanceOf(Command.Invalid.class, CommandParser.parse("start now"));
        assertEquals(new Command.Stop(), CommandParser.parse("stop"));
        assertEquals(new Command.Kill(), CommandParser.parse("kill"));
        assertEquals(new Command.Restart(), CommandParser.parse("restart"));
        assertEquals(new Command.Limit(new MemoryLimit(1L << 30)), CommandParser.parse("limit 1G"));
        assertEquals(new Command.Limit(MemoryLimit.NONE), CommandParser.parse("limit none"));
        assertEquals(new Command.SendSignal(Signal.HUP), CommandParser.parse("signal HUP"));
        assertEquals(new Command.SendSignal(Signal.USR1), CommandParser.parse("signal sigusr1"));
        assertEquals(new Command.SendSignal(Signal.TERM), CommandParser.parse("signal 15"));
        assertTrue(CommandParser.parse("kill").isOrder());
        assertEquals("limit 512 MiB", CommandParser.parse("limit 512M").text());
        assertEquals("signal SIGHUP", CommandParser.parse("signal hup").text());
    }

    @Test
    void caseAndBlanksDoNotMatter() {
        assertEquals(new Command.Status(true), CommandParser.parse("  STATUS   Json \r"));
        assertEquals(new Command.Ping(), CommandParser.parse("PiNg"));
        assertEquals(new Command.Limit(new MemoryLimit(300L << 20)), CommandParser.parse("LIMIT\t300m"));
    }

    @Test
    void unknownCommandIsNamedAndHelpSuggested() {
        String reason = invalid("frobnicate now");
        assertTrue(reason.contains("'frobnicate now'"), reason);
        assertTrue(reason.contains("help"), reason);
    }

    @Test
    void badArgumentsSayWhatIsExpected() {
        assertTrue(invalid("").contains("empty"));
        assertTrue(invalid("limit").contains("limit 1G"));
        assertTrue(invalid("limit lots").contains("'lots' is not a memory limit"));
        assertTrue(invalid("limit 1G 2G").contains("one size"));
        assertTrue(invalid("signal").contains("signal HUP"));
        assertTrue(invalid("signal NOPE").contains("'NOPE' is not a signal"));
        assertTrue(invalid("stop now").contains("'stop' takes no arguments"));
        assertTrue(invalid("status yaml").contains("'status' takes nothing or 'json'"));
        assertTrue(invalid("watch xml").contains("'watch' takes nothing or 'json'"));
    }

    @Test
    void echoedTextIsSafeForATerminalAndShort() {
        String reason = invalid("\u001b[31mred\u0007 " + "x".repeat(500));
        assertFalse(reason.chars().anyMatch(Character::isISOControl), reason);
        assertTrue(reason.contains("?[31mred?"), reason);
        assertTrue(reason.contains("..."), reason);
        assertTrue(reason.length() < 120, reason);
    }

    private static String invalid(String line) {
        return assertInstanceOf(Command.Invalid.class, CommandParser.parse(line)).reason();
    }
}
