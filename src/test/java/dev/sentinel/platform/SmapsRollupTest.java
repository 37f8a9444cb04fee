package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmapsRollupTest {

    /** As Linux 6.1 writes it; Pss_* lines (5.10 and later) must not be taken for Pss. */
    private static final String ROLLUP = """
            55a007924000-7ffe6cf80000 ---p 00000000 00:00 0                          [rollup]
            Rss:              167728 kB
            Pss:               35741 kB
            Pss_Dirty:           112 kB
            Pss_Anon:            112 kB
            Pss_File:            226 kB
            Pss_Shmem:         35403 kB
            Shared_Clean:       1568 kB
            Swap:                  0 kB
            SwapPss:               0 kB
            """;

    private static long pss(String text) {
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return SmapsRollup.pssBytes(b, b.length);
    }

    @Test
    void pssIsTheKilobytesOfItsLine() {
        assertEquals(35741L * 1024, pss(ROLLUP));
    }

    @Test
    void anOlderKernelWithoutTheBreakdownReadsTheSame() {
        assertEquals(4L * 1024, pss("00400000-7fff ---p 00000000 00:00 0 [rollup]\nRss: 8 kB\nPss: 4 kB\n"));
    }

    @Test
    void onlyTheBreakdownOrNothingIsNoPss() {
        assertEquals(-1, pss("Rss: 8 kB\nPss_Anon: 4 kB\nSwapPss: 0 kB\n"));
        assertEquals(-1, pss(""));
        assertEquals(-1, pss("Pss:"));
    }

    @Test
    void aFileCutShortAfterTheNumberStillReads() {
        assertEquals(12L * 1024, pss("Rss: 20 kB\nPss:    12"));
    }
}
