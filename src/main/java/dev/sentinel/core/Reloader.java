package dev.sentinel.core;

/**
 * Reads the config file again and compares it with what runs. Called on the loop thread; an
 * {@link ReloadPlan.Apply} it returns is applied at once, so the reloader may take the new file as
 * current when it returns one.
 */
@FunctionalInterface
public interface Reloader {

    ReloadPlan plan();
}
