package dev.sentinel.control;

import dev.sentinel.core.Target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.platform.Signal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The grammar with program names: every form, and how a word that could be two things is read. */
class CommandParserNamesTest {

    private static final ProgramNames CONFIG = new ProgramNames(List.of("web", "db"), false, "sentinel");
    /** Programs named like the protocol's other words. */
    private static final ProgramNames LOOKALIKES = new ProgramNames(List.of("web", "json", "7", "1G", "HUP", "all"), false,
            "sentinel");
    private static final ProgramNames SINGLE = new ProgramNames(List.of("app"), true, "app");

    private static final Target WEB = new Target.Named("web");
    private static final long GIB = 1L << 30;

    @Test
    void statusTakesATargetAndThenJson() {
        assertEquals(new Command.Status(Target.UNNAMED, false), parse("status"));
        assertEquals(new Command.Status(Target.UNNAMED, true), parse("status json"));
        assertEquals(new Command.Status(WEB, false), parse("status web"));
        assertEquals(new Command.Status(WEB, true), parse("status web json"));
        assertEquals(new Command.Status(Target.ALL, false), parse("status all"));
        assertEquals(new Command.Status(Target.ALL, true), parse("STATUS All JSON"));
        assertEquals(new Command.Status(Target.UNNAMED, true), parse("json"));
        assertEquals(new Command.Status(new Target.Named("db"), true), parse("json db"));
        assertEquals(new Command.Status(Target.ALL, true), parse("json all"));
        assertEquals("'status' takes [NAME|all] [json], e.g. 'status web json', not 'web db'; try 'help'",
                invalid("status web db"));
        assertEquals("'status' takes nothing or 'json', or a program's name, not 'yaml'; the programs are: web, db",
                invalid("status yaml"));
        assertEquals("no program called 'cache'; the programs are: web, db", invalid("status cache json"));
        assertEquals("no program called 'cache'; the programs are: web, db", invalid("json cache"));
        assertTrue(invalid("json web db").startsWith("'json' takes [NAME|all]"));
    }

    @Test
    void historyAndWatchTakeTheSameWordsAsStatus() {
        assertEquals(new Command.History(WEB, false), parse("history web"));
        assertEquals(new Command.History(WEB, true), parse("history web json"));
        assertEquals(new Command.History(Target.UNNAMED, true), parse("history json"));
        assertEquals(new Command.Watch(new Target.Named("db"), true), parse("watch db json"));
        assertEquals(new Command.Watch(Target.ALL, false), parse("watch all"));
        assertEquals(new Command.Watch(Target.UNNAMED, true), parse("watch json"));
        assertTrue(invalid("watch xml").startsWith("'watch' takes nothing or 'json', or a program's name, not 'xml'"));
    }

    @Test
    void aLastJsonIsTheFormatEvenBesideAProgramCalledJson() {
        assertEquals(new Command.Status(Target.UNNAMED, true), parse("status json", LOOKALIKES));
        assertEquals(new Command.Status(new Target.Named("json"), true), parse("status json json", LOOKALIKES));
        assertEquals(new Command.Status(new Target.Named("json"), true), parse("status json JSON", LOOKALIKES));
        assertEquals(new Command.Status(new Target.Named("json"), true), parse("json json", LOOKALIKES));
        assertEquals(new Command.History(new Target.Named("json"), true), parse("history json json", LOOKALIKES));
    }

    @Test
    void allIsAlwaysEveryProgramEvenBesideAProgramCalledAll() {
        assertEquals(new Command.Status(Target.ALL, false), parse("status all", LOOKALIKES));
        assertEquals(new Command.Stop(Target.ALL), parse("stop all", LOOKALIKES));
    }

    @Test
    void eventsTakeATargetAndThenACountAndALastNumberIsTheCount() {
        assertEquals(new Command.Events(Target.UNNAMED, 20), parse("events"));
        assertEquals(new Command.Events(Target.UNNAMED, 50), parse("events 50"));
        assertEquals(new Command.Events(WEB, 20), parse("events web"));
        assertEquals(new Command.Events(WEB, 5), parse("events web 5"));
        assertEquals(new Command.Events(Target.ALL, 3), parse("events ALL 3"));
        assertEquals(new Command.Events(new Target.Named("sentinel"), 20), parse("events sentinel"),
                "Sentinel's own events, by the name they carry");
        assertEquals("'events' takes the name first, then the count, e.g. 'events web 50', not '5 web'; try 'help'",
                invalid("events 5 web"));
        assertTrue(invalid("events web 0").startsWith("'events' takes nothing or a count from 1 to 10000"));
        assertTrue(invalid("events web many").startsWith("'events' takes nothing or a count from 1 to 10000"));
        assertEquals("'events' takes nothing or a count from 1 to 10000, e.g. 'events 50', or a program's name, "
                + "not 'many'; the programs are: web, db", invalid("events many"));
        assertTrue(invalid("events zero", SINGLE).startsWith("'events' takes nothing or a count"),
                "the sentence a single-command Sentinel has always given");
        assertEquals("no program called 'cache'; the programs are: web, db", invalid("events cache 5"));
        assertTrue(invalid("events web 5 6").startsWith("'events' takes [NAME|all] [N]"));
    }

    @Test
    void aProgramNamedLikeANumberNeedsTheCountToo() {
        assertEquals(new Command.Events(Target.UNNAMED, 7), parse("events 7", LOOKALIKES));
        assertEquals(new Command.Events(new Target.Named("7"), 20), parse("events 7 20", LOOKALIKES));
        assertEquals(new Command.Events(new Target.Named("7"), 7), parse("events 7 7", LOOKALIKES));
    }

    @Test
    void ordersTakeOneTarget() {
        assertEquals(new Command.Start(WEB), parse("start web"));
        assertEquals(new Command.Stop(new Target.Named("db")), parse("stop db"));
        assertEquals(new Command.Kill(Target.ALL), parse("kill all"));
        assertEquals(new Command.Restart(WEB), parse("RESTART web"));
        assertTrue(parse("restart web").isOrder());
        assertEquals("'stop' takes one program's name or 'all', e.g. 'stop web', not 'web db'; try 'help'",
                invalid("stop web db"));
        assertEquals("no program called 'cache'; the programs are: web, db", invalid("kill cache"));
    }

    @Test
    void programNamesAreCaseSensitiveKeywordsAreNot() {
        assertEquals("no program called 'WEB'; the programs are: web, db", invalid("stop WEB"));
        assertEquals(new Command.Stop(Target.ALL), parse("STOP ALL"));
    }

    @Test
    void inConfigModeOnlyStopHasAMeaningWithoutAName() {
        assertEquals(new Command.Stop(Target.UNNAMED), parse("stop"));
        for (String verb : List.of("start", "kill", "restart")) {
            assertEquals("'" + verb + "' needs a program's name or 'all', e.g. '" + verb + " web'; the programs are: web, db",
                    invalid(verb), verb);
        }
        assertEquals("'limit' needs a program's name or 'all', e.g. 'limit web 1G'; the programs are: web, db",
                invalid("limit 1G"));
        assertEquals("'limit' needs a program's name or 'all', e.g. 'limit web 1G'; the programs are: web, db",
                invalid("limit"));
        assertEquals("'signal' needs a program's name or 'all', e.g. 'signal web HUP'; the programs are: web, db",
                invalid("signal HUP"));
    }

    @Test
    void limitAndSignalTellTheTargetFromTheValueByTheirCount() {
        assertEquals(new Command.Limit(WEB, new MemoryLimit(GIB)), parse("limit web 1G"));
        assertEquals(new Command.Limit(Target.ALL, MemoryLimit.NONE), parse("limit all none"));
        assertEquals(new Command.SendSignal(WEB, Signal.HUP), parse("signal web HUP"));
        assertEquals(new Command.SendSignal(Target.ALL, Signal.USR1), parse("signal all sigusr1"));
        assertEquals("'limit' needs a size after the name, e.g. 'limit web 1G'; try 'help'", invalid("limit web"));
        assertEquals("'signal' needs a signal after the name, e.g. 'signal db HUP'; try 'help'", invalid("signal db"));
        assertEquals("no program called 'cache'; the programs are: web, db", invalid("limit cache 1G"));
        assertTrue(invalid("limit web lots").startsWith("'lots' is not a memory limit"));
        assertTrue(invalid("signal web NOPE").startsWith("'NOPE' is not a signal Sentinel knows"));
        assertTrue(invalid("limit web 1G 2G").startsWith("'limit' takes a program's name (or 'all') and one size"));
    }

    @Test
    void oneWordIsTheValueEvenBesideAProgramNamedLikeIt() {
        // A size or a signal alone is the old form, which config mode refuses without a name...
        assertTrue(invalid("limit 1G", LOOKALIKES).startsWith("'limit' needs a program's name"));
        assertTrue(invalid("signal HUP", LOOKALIKES).startsWith("'signal' needs a program's name"));
        // ...and the program is reached with both words.
        assertEquals(new Command.Limit(new Target.Named("1G"), new MemoryLimit(GIB)), parse("limit 1G 1G", LOOKALIKES));
        assertEquals(new Command.SendSignal(new Target.Named("HUP"), Signal.HUP), parse("signal HUP HUP", LOOKALIKES));
    }

    @Test
    void singleCommandModeTakesNoNameItsNameOrAll() {
        Target app = new Target.Named("app");
        assertEquals(new Command.Status(app, false), parse("status app", SINGLE));
        assertEquals(new Command.Status(Target.UNNAMED, true), parse("status json", SINGLE));
        assertEquals(new Command.Limit(new MemoryLimit(GIB)), parse("limit 1G", SINGLE));
        assertEquals(new Command.Limit(app, new MemoryLimit(GIB)), parse("limit app 1G", SINGLE));
        assertEquals(new Command.SendSignal(Signal.HUP), parse("signal HUP", SINGLE));
        assertEquals(new Command.Start(), parse("start", SINGLE));
        assertEquals(new Command.Restart(app), parse("restart app", SINGLE));
        assertEquals(new Command.Stop(Target.ALL), parse("stop all", SINGLE));
        assertEquals(new Command.Events(Target.UNNAMED, 5), parse("events 5", SINGLE));
        assertEquals(new Command.Events(app, 5), parse("events app 5", SINGLE));
        assertEquals(new Command.History(app, true), parse("history app json", SINGLE));
        assertEquals("no program called 'web'; this Sentinel guards one program: app", invalid("status web json", SINGLE));
        assertEquals("no program called 'web'; this Sentinel guards one program: app", invalid("stop web", SINGLE));
        assertEquals("'limit' needs one size, e.g. 'limit 1G' or 'limit none'; try 'help'", invalid("limit", SINGLE));
        assertEquals("'limit' needs a size after the name, e.g. 'limit app 1G'; try 'help'", invalid("limit app", SINGLE));
    }

    @Test
    void reloadTakesNothing() {
        assertEquals(new Command.Reload(), parse("reload"));
        assertEquals(new Command.Reload(), parse("reload", SINGLE));
        assertTrue(parse("RELOAD").isOrder());
        assertEquals("'reload' takes no arguments; try 'help'", invalid("reload web"));
    }

    @Test
    void aLongListOfNamesIsCut() {
        List<String> many = new ArrayList<>();
        for (int i = 1; i <= 45; i++) {
            many.add("web-" + i);
        }
        String reason = invalid("stop cache", new ProgramNames(many, false, "sentinel"));
        assertTrue(reason.startsWith("no program called 'cache'; the programs are: web-1, web-2, "), reason);
        assertTrue(reason.endsWith(", web-30 and 15 more (see 'status')"), reason);
    }

    @Test
    void namesInRepliesAreSafeForATerminal() {
        String reason = invalid("stop x", new ProgramNames(List.of("bad\u001bname"), false, "sentinel"));
        assertFalse(reason.chars().anyMatch(Character::isISOControl), reason);
    }

    @Test
    void healthTakesATargetAndThenVerboseAsStatusTakesJson() {
        assertEquals(new Command.Health(Target.UNNAMED, false), parse("health"));
        assertEquals(new Command.Health(Target.UNNAMED, true), parse("health verbose"));
        assertEquals(new Command.Health(WEB, false), parse("health web"));
        assertEquals(new Command.Health(WEB, true), parse("health web verbose"));
        assertEquals(new Command.Health(Target.ALL, false), parse("health all"));
        assertEquals(new Command.Health(Target.UNNAMED, false), parse("health", SINGLE));
        assertEquals(new Command.Health(new Target.Named("app"), false), parse("health app", SINGLE));
        ProgramNames verbose = new ProgramNames(List.of("web", "verbose"), false, "sentinel");
        assertEquals(new Command.Health(Target.UNNAMED, true), parse("health verbose", verbose));
        assertEquals(new Command.Health(new Target.Named("verbose"), true), parse("health verbose verbose", verbose));
        assertEquals("'health' takes nothing or 'verbose', or a program's name, not 'cache'; the programs are: web, db",
                invalid("health cache"));
        assertEquals("no program called 'cache'; the programs are: web, db", invalid("health cache verbose"));
        assertEquals("'health' takes nothing or 'verbose', or a program's name, not 'loud'; the programs are: web, db",
                invalid("health loud"));
        assertEquals("'health' takes [NAME|all] [verbose], e.g. 'health web verbose', not 'web db verbose'; "
                + "try 'help'", invalid("health web db verbose"));
    }

    @Test
    void textIsTheCommandAsTyped() {
        assertEquals("stop web", parse("STOP web").text());
        assertEquals("stop", parse("stop").text());
        assertEquals("kill all", parse("kill ALL").text());
        assertEquals("limit web 1 GiB", parse("limit web 1G").text());
        assertEquals("signal all SIGHUP", parse("signal all hup").text());
        assertEquals("events web 20", parse("events web").text());
        assertEquals("events 20", parse("events").text());
        assertEquals("status web json", parse("status web json").text());
        assertEquals("status json", parse("json").text());
        assertEquals("watch all", parse("watch all").text());
        assertEquals("health web verbose", parse("HEALTH web Verbose").text());
    }

    private static Command parse(String line) {
        return parse(line, CONFIG);
    }

    private static Command parse(String line, ProgramNames names) {
        return CommandParser.parse(line, names);
    }

    private static String invalid(String line) {
        return invalid(line, CONFIG);
    }

    private static String invalid(String line, ProgramNames names) {
        return assertInstanceOf(Command.Invalid.class, parse(line, names), line).reason();
    }
}
