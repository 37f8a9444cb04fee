package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import dev.sentinel.core.Event;
import dev.sentinel.core.EventKind;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** The lifecycle events with their times, newest at the bottom, long ones wrapped. */
final class EventPane {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int TIME_WIDTH = 9;

    private EventPane() {
    }

    private record Row(String text, TextColor color) {
    }

    static void draw(TextGraphics g, List<Event> events, ZoneId zone) {
        draw(g, events, zone, false);
    }

    /** As {@link #draw(TextGraphics, List, ZoneId)}; {@code named}: each event after its program's name. */
    static void draw(TextGraphics g, List<Event> events, ZoneId zone, boolean named) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        if (w < 1 || h < 1) {
            return;
        }
        g.enableModifiers(SGR.BOLD);
        g.putString(0, 0, Fmt.fit("events", w));
        g.disableModifiers(SGR.BOLD);
        int room = h - 1;
        List<Row> rows = new ArrayList<>();
        // Wrap from the newest backwards until the pane is full.
        for (int i = events.size() - 1; i >= 0 && rows.size() < room; i--) {
            Event e = events.get(i);
            List<Row> wrapped = wrap(e, w, zone, named);
            for (int j = wrapped.size() - 1; j >= 0 && rows.size() < room; j--) {
                rows.add(0, wrapped.get(j));
            }
        }
        int y = 1 + room - rows.size();
        for (Row r : rows) {
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
            case LIMIT_CROSSED, GAVE_UP, START_FAILED -> TextColor.ANSI.RED;
            case SIGNAL_SENT -> e.message().contains("SIGKILL") ? TextColor.ANSI.RED : TextColor.ANSI.YELLOW;
            case WARNING, RESTART_SCHEDULED -> TextColor.ANSI.YELLOW;
            case STARTED, LIMIT_CLEARED -> TextColor.ANSI.GREEN;
            case ORDER, LIMIT_CHANGED, RELOADED -> TextColor.ANSI.CYAN;
            case EXITED -> TextColor.ANSI.MAGENTA;
        };
    }
}
