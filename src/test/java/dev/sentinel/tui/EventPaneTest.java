package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The event pane: fitting events on one line, wrapping long ones, and the rows kept between frames. */
class EventPaneTest {

    private static final long AT = 1_790_000_000_000L;

    private final EventPane pane = new EventPane(ZoneId.of("UTC"));

    private List<String> draw(int columns, int rows, List<Event> events, boolean named) {
        VirtualScreen v = VirtualScreen.started(columns, rows);
        v.draw(g -> pane.draw(g.newTextGraphics(TerminalPosition.TOP_LEFT_CORNER, new TerminalSize(columns, rows)),
                events, named));
        return v.lines().stream().map(String::stripTrailing).toList();
    }

    @Test
    void aShortEventTakesOneLineAndALongOneWrapsAtWordsUnderItsTime() {
        Event shortOne = Fixtures.event(AT, EventKind.STARTED, "started pid 42");
        Event longOne = Fixtures.event(AT + 1000, EventKind.WARNING, "the quick brown fox jumps over the lazy dog again");
        // Newest at the bottom: the pane's last three rows.
        List<String> lines = draw(40, 6, List.of(shortOne, longOne), false);
        assertEquals(List.of("events", "", "", "14:13:20 started pid 42", "14:13:21 the quick brown fox jumps over",
                "         the lazy dog again"), lines);
    }

    @Test
    void theSameEventsRedrawnAtAnotherWidthOrWithNamesAreWrappedAnew() {
        Event longOne = Fixtures.event(AT, "web", EventKind.WARNING, "the quick brown fox jumps over the lazy dog again");
        List<Event> events = List.of(longOne);
        List<String> first = draw(40, 3, events, false);
        assertEquals(List.of("events", "14:13:20 the quick brown fox jumps over", "         the lazy dog again"), first);
        assertEquals(List.of("events", "", "14:13:20 the quick brown fox jumps over the lazy dog again"),
                draw(60, 3, events, false));
        assertEquals(List.of("events", "14:13:20 web: the quick brown fox jumps over the lazy dog", "         again"),
                draw(60, 3, events, true));
        // And back: nothing of the other widths is left over.
        assertEquals(first, draw(40, 3, events, false));
    }
}
