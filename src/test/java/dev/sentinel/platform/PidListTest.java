package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PidListTest {

    private static long[] parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return PidList.parse(b, b.length);
    }

    @Test
    void aTasksChildrenFileAndCgroupProcsBothRead() {
        assertArrayEquals(new long[] {12, 345, 6789}, parse("12 345 6789 "), "children: a space after each");
        assertArrayEquals(new long[] {1, 22, 333, 4444, 55555, 666666, 7, 8, 9}, parse("1\n22\n333\n4444\n55555\n"
                + "666666\n7\n8\n9\n"), "cgroup.procs, more than the first guess of room");
        assertArrayEquals(new long[0], parse(""));
        assertArrayEquals(new long[] {5}, parse("5"));
        assertThrows(NumberFormatException.class, () -> parse("1 x "));
    }
}
