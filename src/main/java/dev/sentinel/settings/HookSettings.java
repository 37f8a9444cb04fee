package dev.sentinel.settings;

import dev.sentinel.events.EventKind;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * A program's event hook: a command Sentinel runs with {@code sh -c} for each lifecycle event of
 * the chosen kinds, with the event on its stdin and in its environment.
 *
 * @param command the shell command, or null for no hook
 * @param kinds the kinds it runs for
 * @param timeout how long one run may take before SIGTERM (then SIGKILL) to its process group
 */
public record HookSettings(String command, Set<EventKind> kinds, Duration timeout) {

    /** The kinds a hook may be run for: what happens to a program, not what is said about it. */
    public static final Set<EventKind> HOOKABLE = HookEvents.HOOKABLE;
    /** No hook, with the table's defaults for the rest. */
    public static final HookSettings NONE = new HookSettings(null, ProgramOptions.HOOK_EVENTS.defaultValue(),
            ProgramOptions.HOOK_TIMEOUT.defaultValue());

    public HookSettings {
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a hook's timeout must be positive");
        }
        if (command != null && command.isBlank()) {
            command = null;
        }
    }

    public boolean isSet() {
        return command != null;
    }

    public boolean runsFor(EventKind kind) {
        return command != null && kinds.contains(kind);
    }
}
