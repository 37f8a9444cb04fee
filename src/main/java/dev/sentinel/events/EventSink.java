package dev.sentinel.events;

/**
 * Receives lifecycle events. Called on the supervisor loop thread: implementations must hand
 * the event over and return at once (never write to a terminal or pipe directly).
 */
@FunctionalInterface
public interface EventSink {

    void emit(Event event);
}
