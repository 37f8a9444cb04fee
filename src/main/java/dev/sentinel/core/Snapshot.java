package dev.sentinel.core;

import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.events.Event;
import java.util.List;

/**
 * The supervisor's state after one tick, published through a volatile reference.
 *
 * @param sequence increases with every publication
 * @param events the most recent lifecycle events, oldest first
 */
public record Snapshot(long sequence, long epochMillis, RunInfo info, List<ProgramSnapshot> programs,
                       List<Event> events) {

    public Snapshot {
        programs = List.copyOf(programs);
        events = List.copyOf(events);
    }
}
