package dev.sentinel.core;

/**
 * Reads the config file again and compares it with what runs. {@link #plan()} runs off the loop,
 * one call at a time, and must not change what the reloader takes as current: the loop applies an
 * {@link ReloadPlan.Apply} (and then calls {@link #applied}) or refuses it (a shutdown began).
 */
public interface Reloader {

    ReloadPlan plan();

    /** The loop applied {@code plan}: the file it came from is now the current one. */
    default void applied(ReloadPlan.Apply plan) {
    }
}
