package dev.sentinel.events;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the most recent events for snapshots and passes every event on to the listeners
 * (the headless reporter, the dashboard). Loop thread only.
 */
public final class EventLog implements EventSink {

    private final int capacity;
    private final ArrayDeque<Event> recent;
    private final List<EventSink> listeners = new ArrayList<>();
    private List<Event> published = List.of();

    public EventLog(int capacity) {
        this.capacity = capacity;
        this.recent = new ArrayDeque<>(capacity);
    }

    public void addListener(EventSink listener) {
        listeners.add(listener);
    }

    @Override
    public void emit(Event event) {
        if (recent.size() == capacity) {
            recent.removeFirst();
        }
        recent.addLast(event);
        published = null;
        for (EventSink l : listeners) {
            l.emit(event);
        }
    }

    /** The recent events as an immutable list; the same instance until a new event arrives. */
    public List<Event> recent() {
        if (published == null) {
            published = List.copyOf(recent);
        }
        return published;
    }
}
