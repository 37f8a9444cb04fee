package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lifecycle events with their times, newest at the bottom, long ones wrapped. An event's rows
 * are made once for a width and kept while it is on screen: the pane is drawn once a second, and
 * formatting a time and wrapping a message cost more than drawing them.
 */
final class EventPane {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int TIME_WIDTH = 9;

    private final ZoneId zone;
    /** The rows of the events the last frame showed, for {@link #rowsWidth} and {@link #rowsNamed}. */
    private Map<Event, List<Row>> rows = new IdentityHashMap<>();
    private int rowsWidth = -1;
    private boolean rowsNamed;

    EventPane(ZoneId zone) {
        this.zone = zone;
    }

    private record Row(String text, TextColor color) {
    }

    /** Draws {@code events}; {@code named}: each event after its program's name. */
    void draw(TextGraphics g, List<Event> events, boolean named) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        if (w < 1 || h < 1) {
            return;
        }
        if (w != rowsWidth || named != rowsNamed) {
            rows.clear();
            rowsWidth = w;
            rowsNamed = named;
        }
        Map<Event, List<Row>> made = rows;
        Map<Event, List<Row>> kept = new IdentityHashMap<>();
        g.enableModifiers(SGR.BOLD);
        g.putString(0, 0, Fmt.fit("events", w));
        g.disableModifiers(SGR.BOLD);
        int room = h - 1;
        List<Row> shown = new ArrayList<>();
        // Wrap from the newest backwards until the pane is full.
        for (int i = events.size() - 1; i >= 0 && shown.size() < room; i--) {
            Event e = events.get(i);
            List<Row> wrapped = made.get(e);
            if (wrapped == null) {
                wrapped = wrap(e, w, zone, named);
            }
            kept.put(e, wrapped);
            for (int j = wrapped.size() - 1; j >= 0 && shown.size() < room; j--) {
                shown.add(0, wrapped.get(j));
            }
        }
        rows = kept;
        int y = 1 + room - shown.size();
        for (Row r : shown) {
            g.setForegroundColor(r.color());
            g.putString(0, y++, Fmt.fit(r.text(), w));
        }
        g.setForegroundColor(TextColor.ANSI.DEFAULT);
    }

    private static List<Row> wrap(Event e, int width, ZoneId zone, boolean named) {
        String time = TIME.format(Instant.ofEpochMilli(e.epochMillis()).atZone(zone));
        TextColor color = colorOf(e);
        String message = named && e.program() != null ? e.program() + ": " + e.message() : e.message();
        List<Row> out = new ArrayList<>();
        int textWidth = width - TIME_WIDTH;
        if (textWidth < 10) {
            out.add(new Row(time + " " + message, color));
            return out;
        }
        String clean = TextSanitizer.clean(message);
        // Most events fit on their line; Lanterna's wrapping looks up the Unicode block of every
        // character, and the pane is drawn once a second.
        List<String> lines = clean.indexOf('\n') < 0 && Fmt.columns(clean) <= textWidth ? List.of(clean)
                : TerminalTextUtils.getWordWrappedText(textWidth, clean);
        for (int i = 0; i < lines.size(); i++) {
            out.add(new Row((i == 0 ? time + " " : " ".repeat(TIME_WIDTH)) + lines.get(i), color));
        }
        return out;
    }

    static TextColor colorOf(Event e) {
        EventKind k = e.kind();
        return switch (k) {
            case LIMIT_CROSSED, GAVE_UP, START_FAILED, KERNEL_OOM, CHECK_FAILED -> TextColor.ANSI.RED;
            case SIGNAL_SENT -> e.message().contains("SIGKILL") ? TextColor.ANSI.RED : TextColor.ANSI.YELLOW;
            case WARNING, RESTART_SCHEDULED, NOT_READY -> TextColor.ANSI.YELLOW;
            case STARTED, LIMIT_CLEARED, READY, CHECK_PASSED -> TextColor.ANSI.GREEN;
            case ORDER, LIMIT_CHANGED, RELOADED -> TextColor.ANSI.CYAN;
            case EXITED -> TextColor.ANSI.MAGENTA;
        };
    }
}
