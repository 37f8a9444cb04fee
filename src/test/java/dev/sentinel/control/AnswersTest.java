package dev.sentinel.control;

import dev.sentinel.core.Target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventJson;
import dev.sentinel.events.EventKind;
import dev.sentinel.core.Snapshot;
import dev.sentinel.time.UtcOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Questions with and without names, answered from one snapshot of several programs. */
class AnswersTest {

    private static final EventJson JSON = new EventJson(UtcOffset.UTC);

    @Test
    void statusWithoutANameOrWithAllIsEveryProgramInConfigOrderWithANameThatOne() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db", "worker");
        assertEquals(List.of("web", "db", "worker"), names(ask(loop, "status")));
        assertEquals(List.of("web", "db", "worker"), names(ask(loop, "status all")));
        assertEquals(List.of("db"), names(ask(loop, "status db")));
        String json = ask(loop, "json worker");
        assertTrue(json.startsWith("{\"name\":\"worker\",") && json.endsWith("}\n") && json.lines().count() == 1, json);
        assertEquals(json, ask(loop, "status worker json"));
        assertEquals(3, ask(loop, "status json").lines().filter(l -> l.startsWith("{\"name\":")).count());
    }

    @Test
    void historyOfOneProgramIsItsRunsOnly() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db");
        assertEquals(List.of("web", "db"), names(ask(loop, "history")));
        assertEquals(List.of("db"), names(ask(loop, "history db")));
        assertTrue(ask(loop, "history db json").startsWith("{\"name\":\"db\",\"run\":1,"));
    }

    @Test
    void eventsOfOneProgramAreItsOwnLastN() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db");
        for (int i = 0; i < 5; i++) {
            loop.events.add(new Event(loop.clock.epochMillis(), "db", EventKind.WARNING, "db note " + i));
            loop.events.add(new Event(loop.clock.epochMillis(), "web", EventKind.WARNING, "web note " + i));
        }
        loop.events.add(new Event(loop.clock.epochMillis(), "sentinel", EventKind.WARNING, "about Sentinel"));
        String db = ask(loop, "events db 3");
        assertEquals(3, db.lines().count(), db);
        assertTrue(db.lines().allMatch(l -> l.contains("\"name\":\"db\"")), db);
        assertTrue(db.lines().toList().get(2).contains("db note 4"), "newest last: " + db);
        String own = ask(loop, "events sentinel");
        assertEquals(1, own.lines().count(), own);
        assertTrue(own.contains("about Sentinel"), own);
        assertEquals(5, ask(loop, "events 5").lines().count());
        assertTrue(ask(loop, "events all 1").contains("about Sentinel"));
    }

    @Test
    void aQuestionAboutAProgramTheSnapshotLacksIsAnErr() throws Exception {
        FakeLoop loop = FakeLoop.config("web", "db");
        Snapshot s = loop.latest();
        assertEquals("ERR no program called 'cache'; the programs are: web, db\n",
                Answers.answer(new Command.Status(new Target.Named("cache"), false), s, JSON, s.epochMillis()));
    }

    private static String ask(FakeLoop loop, String line) {
        Snapshot s = loop.latest();
        Command c = CommandParser.parse(line, ProgramNames.of(s, loop.selfName()));
        return Answers.answer(c, s, JSON, s.epochMillis());
    }

    private static List<String> names(String lines) {
        return lines.lines().map(l -> l.substring(0, l.indexOf(' '))).toList();
    }
}
