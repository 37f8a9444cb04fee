package dev.sentinel.core;

/**
 * One lifecycle event.
 *
 * @param message a short sentence a user reads to know what happened and why
 */
public record Event(long epochMillis, String program, EventKind kind, String message) {
}
