package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class RssHistoryTest {

    @Test
    void pointsCloserThanTheSpacingMergeKeepingThePeak() {
        RssHistory h = new RssHistory(10, 500);
        h.record(1_000, 10);
        h.record(1_200, 30);
        h.record(1_400, 20);
        h.record(1_600, 5);
        assertEquals(2, h.size());
        assertArrayEquals(new long[] {30, 5}, h.columns(2_000, 2, 500));
    }

    @Test
    void eachColumnHoldsTheHighestPointOfItsSlot() {
        RssHistory h = new RssHistory(100, 100);
        for (int i = 0; i < 10; i++) {
            h.record(10_000 + i * 100L, i);
        }
        // Two columns of 500 ms ending at 11,000: (10,000..10,500] and (10,500..11,000].
        assertArrayEquals(new long[] {5, 9}, h.columns(11_000, 2, 500));
    }

    @Test
    void columnsBeforeTheFirstPointAreEmptyAndGapsRepeatTheLastValue() {
        RssHistory h = new RssHistory(100, 100);
        h.record(5_000, 7);
        h.record(8_000, 9);
        assertArrayEquals(new long[] {-1, -1, -1, -1, 7, 7, 7, 9, 9, 9}, h.columns(10_000, 10, 1_000));
    }

    @Test
    void aPointBeforeTheWindowCarriesIntoIt() {
        RssHistory h = new RssHistory(100, 100);
        h.record(1_000, 3);
        assertArrayEquals(new long[] {3, 3}, h.columns(10_000, 2, 1_000));
    }

    @Test
    void theRingDropsTheOldest() {
        RssHistory h = new RssHistory(3, 1);
        for (int i = 1; i <= 5; i++) {
            h.record(i * 10L, i);
        }
        assertEquals(3, h.size());
        assertEquals(30, h.oldestMillis());
        assertArrayEquals(new long[0], h.columns(50, 0, 10));
    }

    @Test
    void aRestartIsInTheSlotOfItsStartLikeAPoint() {
        RssHistory h = new RssHistory(100, 100);
        h.restartAt(5_000);
        h.restartAt(7_500);
        h.restartAt(10_400);
        h.restartAt(2_000);
        // Ten slots of a second ending at 10,000: (0..1000] ... (9000..10000]; 10,400 is ahead of the
        // dashboard's clock and shows in the newest slot.
        boolean[] expected = new boolean[10];
        expected[1] = true;
        expected[4] = true;
        expected[7] = true;
        expected[9] = true;
        assertArrayEquals(expected, h.restartColumns(10_000, 10, 1_000));
        assertArrayEquals(new boolean[] {true, true}, h.restartColumns(10_000, 2, 2_000),
                "2,000 and 5,000 are before the last 4 s");
        assertArrayEquals(new boolean[0], h.restartColumns(10_000, 0, 1_000));
    }

    @Test
    void restartsOutsideTheWindowAreNotShown() {
        RssHistory h = new RssHistory(100, 100);
        h.restartAt(1_000);
        assertArrayEquals(new boolean[] {false, false}, h.restartColumns(10_000, 2, 1_000));
        assertArrayEquals(new boolean[] {true, false}, h.restartColumns(2_000, 2, 1_000),
                "a start exactly at a slot's end belongs to it: (0..1000]");
    }

    @Test
    void theRestartRingKeepsTheNewest() {
        RssHistory h = new RssHistory(10, 100);
        for (int i = 0; i < RssHistory.RESTARTS_KEPT + 5; i++) {
            h.restartAt(i * 10L);
        }
        assertEquals(RssHistory.RESTARTS_KEPT, h.restarts());
        long newest = (RssHistory.RESTARTS_KEPT + 4) * 10L;
        assertArrayEquals(new boolean[] {true}, h.restartColumns(newest, 1, 10));
        boolean[] all = h.restartColumns(newest, RssHistory.RESTARTS_KEPT + 5, 10);
        int shown = 0;
        for (boolean b : all) {
            shown += b ? 1 : 0;
        }
        assertEquals(RssHistory.RESTARTS_KEPT, shown, "the oldest five are gone");
        assertFalse(all[4], "the fifth oldest slot lost its restart");
    }

    @Test
    void theSlotGrowsSoTheWholeRunFits() {
        RssHistory h = new RssHistory(100, 100);
        h.record(0, 1);
        assertEquals(1_000, MemoryChart.stepFor(h, 100_000, 100));
        assertEquals(2_000, MemoryChart.stepFor(h, 150_000, 100));
        assertEquals(5_000, MemoryChart.stepFor(h, 300_000, 100));
        assertEquals(600_000, MemoryChart.stepFor(h, 1_000_000_000L, 100));
        assertEquals(1_000, MemoryChart.stepFor(new RssHistory(1, 1), 5, 100));
    }

    @Test
    void aWallClockSteppingBackStartsTheChartAgainInsteadOfHoldingItStill() {
        RssHistory h = new RssHistory(100, 100);
        h.record(10_000_000, 5);
        h.record(10_000_500, 6);
        h.record(10_000_400, 1);
        assertEquals(2, h.size(), "a point a little late is dropped");
        h.record(10_000_000 - 3_600_000, 9);
        assertEquals(1, h.size(), "an hour back: the clock stepped, the chart starts again");
        h.record(10_000_000 - 3_600_000 + 500, 10);
        assertEquals(2, h.size(), "and goes on");
    }
}
