package dev.sentinel.settings;

import dev.sentinel.events.EventKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
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
    public static final Set<EventKind> HOOKABLE = EnumSet.of(EventKind.LIMIT_CROSSED, EventKind.SIGNAL_SENT,
            EventKind.EXITED, EventKind.RESTART_SCHEDULED, EventKind.GAVE_UP, EventKind.KERNEL_OOM);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final HookSettings NONE = new HookSettings(null, HOOKABLE, DEFAULT_TIMEOUT);

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

    public static String accepted() {
        List<String> labels = new ArrayList<>();
        for (EventKind k : EventKind.values()) {
            if (HOOKABLE.contains(k)) {
                labels.add(k.label());
            }
        }
        return "a comma-separated list of " + String.join(", ", labels) + " (or all)";
    }

    /** Parses {@code limit-crossed,exited} (any of {@link #HOOKABLE}), or {@code all}. */
    public static Set<EventKind> parseKinds(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("all")) {
            return HOOKABLE;
        }
        Set<EventKind> kinds = EnumSet.noneOf(EventKind.class);
        for (String word : t.split("[,\\s]+")) {
            if (word.isEmpty()) {
                continue;
            }
            EventKind found = null;
            for (EventKind k : HOOKABLE) {
                if (k.label().equals(word)) {
                    found = k;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("'" + word + "' is not an event a hook can run for; use "
                        + accepted() + ".");
            }
            kinds.add(found);
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("no events given; use " + accepted() + ".");
        }
        return kinds;
    }
}
