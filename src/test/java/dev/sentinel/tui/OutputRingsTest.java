package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutputRingsTest {

    private static List<String> texts(List<OutputLine> lines) {
        return lines.stream().map(OutputLine::text).toList();
    }

    @Test
    void eachProgramHasItsOwnLines() {
        OutputRings rings = new OutputRings();
        rings.of("web").add(OutputLine.Source.STDOUT, "web 1");
        rings.of("worker").add(OutputLine.Source.STDERR, "worker 1");
        rings.of("web").add(OutputLine.Source.STDOUT, "web 2");
        assertEquals(List.of("web 1", "web 2"), texts(rings.view("web").window(10, 0)));
        assertEquals(List.of("worker 1"), texts(rings.view("worker").window(10, 0)));
        assertEquals(List.of(), texts(rings.view("cron").window(10, 0)), "nothing printed yet");
        assertSame(rings.of("web"), rings.of("web"));
    }

    @Test
    void theOneProgramsUnnamedLinesShowForAProgramWithoutItsOwn() {
        OutputRings rings = new OutputRings();
        rings.unnamed().add(OutputLine.Source.STDOUT, "from the command");
        assertEquals(List.of("from the command"), texts(rings.view("app").window(10, 0)));
        assertEquals(List.of("from the command"), texts(rings.view(null).window(10, 0)));
    }

    @Test
    void sentinelsOwnMessagesShowInEveryPaneInTheOrderTheyCame() {
        OutputRings rings = new OutputRings();
        rings.of("web").add(OutputLine.Source.STDOUT, "w1");
        rings.sentinel().add(OutputLine.Source.SENTINEL, "warning");
        rings.of("worker").add(OutputLine.Source.STDOUT, "k1");
        rings.of("web").add(OutputLine.Source.STDOUT, "w2");
        assertEquals(List.of("w1", "warning", "w2"), texts(rings.view("web").window(10, 0)));
        assertEquals(List.of("warning", "k1"), texts(rings.view("worker").window(10, 0)));
        OutputView web = rings.view("web");
        assertEquals(3, web.size());
        assertEquals(3, web.total());
        assertEquals(List.of("w1", "warning"), texts(web.window(2, 1)), "scrolled up one line");
        assertEquals(List.of("w1"), texts(web.window(5, 2)));
        assertEquals(List.of(), texts(web.window(5, 3)));
    }

    @Test
    void theMemoryBudgetIsSharedSoFiftyProgramsKeepLessEach() {
        assertEquals(2L << 20, OutputRings.perProgram(1));
        assertEquals(2L << 20, OutputRings.perProgram(4));
        assertEquals((8L << 20) / 50, OutputRings.perProgram(50));
        OutputRings rings = new OutputRings();
        String line = "x".repeat(1000);
        for (int p = 0; p < 50; p++) {
            for (int i = 0; i < 500; i++) {
                rings.of("p" + p).add(OutputLine.Source.STDOUT, line);
            }
        }
        long total = 0;
        for (int p = 0; p < 50; p++) {
            OutputBuffer b = rings.of("p" + p);
            assertTrue(b.bytes() <= OutputRings.perProgram(50), "p" + p + " keeps " + b.bytes());
            total += b.bytes();
        }
        assertTrue(total <= (long) OutputRings.TOTAL_MIB << 20, "all of them: " + total);
        // 1,000 characters cost about 2 KiB: some 80 lines each.
        int kept = rings.of("p0").size();
        assertTrue(kept > 60 && kept < 100, kept + " lines");
    }

    @Test
    void aNewProgramShrinksTheOthersBudgetsAndAGoneOneIsDropped() {
        OutputRings rings = new OutputRings();
        String line = "y".repeat(2000);
        for (int i = 0; i < 2000; i++) {
            rings.of("a").add(OutputLine.Source.STDOUT, line);
        }
        assertTrue(rings.of("a").bytes() <= OutputRings.perProgram(1));
        for (int p = 0; p < 19; p++) {
            rings.of("b" + p);
        }
        assertTrue(rings.of("a").bytes() <= OutputRings.perProgram(20), "trimmed at once");
        rings.retain(List.of("a", "b0"));
        assertEquals(2, rings.rings());
        assertEquals(List.of(), texts(rings.view("b5").window(10, 0)));
    }

    @Test
    void aBufferKeepsItsLineCountAndItsBudget() {
        OutputBuffer b = new OutputBuffer(100, 10 * OutputBuffer.cost("0123456789"), new AtomicLong());
        for (int i = 0; i < 25; i++) {
            b.add(OutputLine.Source.STDOUT, String.format("%010d", i));
        }
        assertEquals(10, b.size(), "the budget holds ten of these lines");
        assertEquals(25, b.total());
        assertEquals("0000000024", b.window(1, 0).get(0).text());
        b.add(OutputLine.Source.STDOUT, "z".repeat(5000));
        assertEquals(1, b.size(), "a line larger than the budget is still kept, alone");
        b.budget(0);
        assertEquals(1, b.size());
    }
}
