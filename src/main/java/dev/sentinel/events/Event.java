package dev.sentinel.events;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One lifecycle event: what the lifecycle lines, the dashboard's event pane, the journal and the
 * socket's {@code events} show.
 *
 * @param run the run of the program it belongs to (1, 2, ...), or 0 for events about no run
 * @param message a short sentence a user reads to know what happened and why
 * @param fields the kind's own facts for the journal ({@code pid}, {@code rss_bytes}, ...), in order;
 *               values are numbers, strings, booleans, null, lists and maps of these
 */
public record Event(long epochMillis, String program, int run, EventKind kind, String message,
                    Map<String, Object> fields) {

    public Event {
        fields = fields.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** An event with no fields of its own and no run. */
    public Event(long epochMillis, String program, EventKind kind, String message) {
        this(epochMillis, program, 0, kind, message, Map.of());
    }

    /** An ordered map from alternating keys and values ({@code "pid", 42, "signal", "SIGTERM"}); values may be null. */
    public static Map<String, Object> fields(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values come in pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
