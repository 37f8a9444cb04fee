package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import java.util.Map;

/**
 * Who gave an order, for the ORDER event {@link Orders} logs on each program before acting on it
 * (so {@code events web} shows who stopped web), or on Sentinel itself for an order to everything.
 */
public interface Origin {

    /** The event's message for an order about {@code program}, as found now; null program: Sentinel itself. */
    String note(Program program);

    /** The event's fields (the journal's), e.g. the peer's uid and pid. */
    default Map<String, Object> fields() {
        return Map.of();
    }
}
