package dev.sentinel.platform.cgroup;

import dev.sentinel.platform.PidList;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CgroupTextTest {

    private static long keyed(String text, String key) {
        byte[] b = text.getBytes(US_ASCII);
        return CgroupText.keyed(b, b.length, key, -7);
    }

    private static long value(String text) {
        byte[] b = text.getBytes(US_ASCII);
        return CgroupText.value(b, b.length);
    }

    private static long[] pids(String text) {
        byte[] b = text.getBytes(US_ASCII);
        return PidList.parse(b, b.length);
    }

    @Test
    void keysAreFoundByWholeNameWhereverTheyAre() {
        String events = "low 0\nhigh 3\nmax 9\noom 2\noom_kill 1\noom_group_kill 4\n";
        assertEquals(1, keyed(events, "oom_kill"));
        assertEquals(2, keyed(events, "oom"));
        assertEquals(4, keyed(events, "oom_group_kill"));
        assertEquals(-7, keyed(events, "oom_kil"));
        assertEquals(-7, keyed("low 0\nhigh 0\n", "oom_kill"));
        assertEquals(1, keyed("oom_kill_disable 0\nunder_oom 0\noom_kill 1", "oom_kill"));
        assertEquals(0, keyed("oom_kill_disable 0\nunder_oom 0\noom_kill 0\n", "oom_kill_disable"));
        assertEquals(1, keyed("frozen 0\npopulated 1\n", "populated"));
        assertEquals(1234, keyed("usage_usec 1234\nuser_usec 1000\n", "usage_usec"));
        assertEquals(-7, keyed("", "usage_usec"));
    }

    @Test
    void valuesMaxAndV1UnlimitedAreMinusOne() {
        assertEquals(-1, value("max\n"));
        assertEquals(-1, value(FakeKernel.V1_MAX + "\n"));
        assertEquals(-1, value("9223372036854710272\n")); // 64 KiB pages
        assertEquals(67108864, value("67108864\n"));
        assertEquals(0, value("0"));
        assertThrows(NumberFormatException.class, () -> value(""));
    }

    @Test
    void pidListsOnePerLine() {
        assertArrayEquals(new long[] {1, 22, 333}, pids("1\n22\n333\n"));
        assertArrayEquals(new long[] {5}, pids("5"));
        assertArrayEquals(new long[0], pids(""));
        assertArrayEquals(new long[0], pids("\n"));
        assertThrows(NumberFormatException.class, () -> pids("1\nx\n"));
    }

    @Test
    void sizesForPeople() {
        assertEquals("64 MiB", CgroupText.size(64L << 20));
        assertEquals("1.5 GiB", CgroupText.size(3L << 29));
        assertEquals("100 B", CgroupText.size(100));
        assertEquals("unlimited", CgroupText.size(-1));
    }

    @Test
    void modesParseTheWordsUsersWrite() {
        assertEquals(CgroupMode.REQUIRE, CgroupMode.parse(" Require "));
        assertEquals("off", CgroupMode.OFF.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CgroupMode.parse("yes"));
        assertEquals("'yes' is not a cgroup mode; use auto, require or off.", e.getMessage());
    }
}
