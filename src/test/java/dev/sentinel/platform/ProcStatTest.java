package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProcStatTest {

    private static ProcStat parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return ProcStat.parse(b, b.length);
    }

    @Test
    void readsTheFieldsSentinelUses() {
        ProcStat s = parse("4242 (leaker) S 4200 4242 4242 0 -1 4194560 1200 0 0 0 150 25 0 0 20 0 17 0 "
                + "987654 4000000000 30000 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
        assertEquals(4242, s.pid());
        assertEquals("leaker", s.name());
        assertEquals('S', s.state());
        assertEquals(4200, s.ppid());
        assertEquals(4242, s.pgid());
        assertEquals(4242, s.session());
        assertEquals(175, s.cpuTicks());
        assertEquals(17, s.threads());
        assertEquals(987654, s.startTicks());
        assertEquals(30000, s.rssPages());
    }

    @Test
    void aNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        ProcStat s = parse("7 (my (odd) name) R 1 7 7 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 55 100 9 0\n");
        assertEquals("my (odd) name", s.name());
        assertEquals('R', s.state());
        assertEquals(7, s.cpuTicks());
        assertEquals(55, s.startTicks());
        assertEquals(9, s.rssPages());
    }

    @Test
    void zombiesAreDead() {
        assertTrue(parse("8 (z) Z 1 8 8 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0 0\n").isDead());
    }

    @Test
    void truncatedOrGarbageIsNull() {
        assertNull(parse("12 (x) S 1 2 3"));
        assertNull(parse("garbage"));
        assertNull(parse(""));
    }

    @Test
    void signalNamesParseInEveryCommonForm() {
        assertEquals(Signal.HUP, Signal.parse("hup").orElseThrow());
        assertEquals(Signal.HUP, Signal.parse("SIGHUP").orElseThrow());
        assertEquals(Signal.USR1, Signal.parse("10").orElseThrow());
        assertTrue(Signal.parse("SIGNOPE").isEmpty());
        assertEquals("SIGTERM", Signal.TERM.fullName());
    }
}
