package dev.sentinel.settings;

import dev.sentinel.events.EventKind;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The kinds of event a hook may run for, and the words for them ({@code limit-crossed,exited},
 * {@code all}). Apart from {@link HookSettings} so that the option table can parse its default
 * without making the hook's own defaults (which come from the table) before the table exists.
 */
final class HookEvents {

    /** What happens to a program, not what is said about it. */
    static final Set<EventKind> HOOKABLE = Collections.unmodifiableSet(EnumSet.of(EventKind.LIMIT_CROSSED,
            EventKind.SIGNAL_SENT, EventKind.EXITED, EventKind.RESTART_SCHEDULED, EventKind.GAVE_UP,
            EventKind.KERNEL_OOM, EventKind.READY, EventKind.NOT_READY, EventKind.CHECK_FAILED,
            EventKind.CHECK_PASSED));

    private HookEvents() {
    }

    static String accepted() {
        List<String> labels = new ArrayList<>();
        for (EventKind k : EventKind.values()) {
            if (HOOKABLE.contains(k)) {
                labels.add(k.label());
            }
        }
        return "a comma-separated list of " + String.join(", ", labels) + " (or all)";
    }

    /** Parses {@code limit-crossed,exited} (any of {@link #HOOKABLE}), or {@code all}. */
    static Set<EventKind> parse(String text) {
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

    /** The words for a set of kinds, as {@link #parse} reads them. */
    static String show(Set<EventKind> kinds) {
        if (kinds.equals(HOOKABLE)) {
            return "all";
        }
        List<String> labels = new ArrayList<>();
        for (EventKind k : EventKind.values()) {
            if (kinds.contains(k)) {
                labels.add(k.label());
            }
        }
        return String.join(",", labels);
    }
}
