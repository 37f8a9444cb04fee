package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class StatusLineTest {

    @Test
    void aMessageShowsForAFewSecondsEvenWhenTheWallClockStepsBack() {
        StatusLine s = new StatusLine();
        long t = 1_000_000_000L;
        s.set("sent SIGTERM to app", t);
        assertEquals("sent SIGTERM to app", s.current(t + 1_000));
        assertNull(s.current(t + StatusLine.SHOW_MILLIS + 1), "gone after the few seconds");
        s.set("sent SIGKILL to app", t);
        assertNull(s.current(t - 3_600_000), "the clock stepped back an hour: not shown for the hour");
        assertEquals("sent SIGKILL to app", s.current(t - 50), "a clock a little behind the setter's still shows it");
    }
}
