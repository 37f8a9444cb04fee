package dev.sentinel.config;

import dev.sentinel.settings.Option;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.SentinelOptions;
import dev.sentinel.settings.SentinelSection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a reload changes. Programs are matched by name and compared by spec: an equal spec keeps
 * running untouched. Sentinel's own settings are bound when it starts (the socket is bound, the
 * metrics port is listening, the dashboard is drawn), so a change of one is reported, not applied;
 * {@code keep_running} is read by the loop at every decision and applies at once.
 */
public final class ConfigDiffer {

    private ConfigDiffer() {
    }

    public static ConfigDiff diff(SentinelConfig old, SentinelConfig fresh) {
        Map<String, ProgramSettings> before = new LinkedHashMap<>();
        for (ProgramSettings p : old.programs()) {
            before.put(p.name(), p);
        }
        List<String> unchanged = new ArrayList<>();
        List<ProgramSettings> changed = new ArrayList<>();
        List<ProgramSettings> added = new ArrayList<>();
        for (ProgramSettings p : fresh.programs()) {
            ProgramSettings was = before.remove(p.name());
            if (was == null) {
                added.add(p);
            } else if (was.equals(p)) {
                unchanged.add(p.name());
            } else {
                changed.add(p);
            }
        }
        List<String> removed = new ArrayList<>(before.keySet());
        return new ConfigDiff(unchanged, changed, removed, added, needsRestart(old.sentinel(), fresh.sentinel()));
    }

    /** Every [sentinel] key but keep_running, in the table's order. */
    private static List<String> needsRestart(SentinelSection a, SentinelSection b) {
        List<String> sentences = new ArrayList<>();
        for (Option<?> o : SentinelOptions.ALL) {
            if (o.key() != null && o != SentinelOptions.KEEP_RUNNING) {
                compare(sentences, o.key(), shown(a, o), shown(b, o));
            }
        }
        return sentences;
    }

    private static void compare(List<String> sentences, String key, String was, String is) {
        if (!Objects.equals(was, is)) {
            sentences.add(key + " changed from " + shown(was) + " to " + shown(is)
                    + ": takes effect when Sentinel restarts");
        }
    }

    /** A key's value as the file wrote it, or null when unset; {@code socket} is its path or false (no socket). */
    private static <T> String shown(SentinelSection s, Option<T> option) {
        if (option == SentinelOptions.SOCKET && Boolean.FALSE.equals(s.socketEnabled())) {
            return "false";
        }
        T value = s.get(option);
        return value == null ? null : option.type().show(value);
    }

    private static String shown(String value) {
        return value == null ? "the default" : value;
    }
}
