package dev.sentinel.events;

import dev.sentinel.text.Json;
import dev.sentinel.time.Timestamps;
import dev.sentinel.time.UtcOffset;
import java.util.Map;

/**
 * An event as one JSON object on one line, as the journal stores it and the socket's
 * {@code events} answers: {@code time} (ISO-8601, milliseconds, offset), {@code name}, {@code run}
 * (null for events about no run), {@code kind}, {@code message}, then the kind's own fields.
 * Thread-safe and pure but for the time zone it is given.
 */
public final class EventJson {

    private final UtcOffset zone;

    public EventJson(UtcOffset zone) {
        this.zone = zone;
    }

    /** The event's JSON object, without a newline. */
    public String line(Event e) {
        StringBuilder b = new StringBuilder(160 + e.message().length());
        b.append("{\"time\":").append(Json.string(Timestamps.iso(e.epochMillis(), zone)));
        b.append(",\"name\":").append(Json.string(e.program()));
        b.append(",\"run\":").append(e.run() > 0 ? Integer.toString(e.run()) : "null");
        b.append(",\"kind\":").append(Json.string(e.kind().label()));
        b.append(",\"message\":").append(Json.string(e.message()));
        for (Map.Entry<String, Object> f : e.fields().entrySet()) {
            b.append(',').append(Json.string(f.getKey())).append(':');
            Json.value(b, f.getValue());
        }
        return b.append('}').toString();
    }

    /** The same instant as {@link Timestamps#iso}, in this formatter's zone. */
    public String time(long epochMillis) {
        return Timestamps.iso(epochMillis, zone);
    }
}
