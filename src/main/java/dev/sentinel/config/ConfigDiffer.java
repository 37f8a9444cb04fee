package dev.sentinel.config;

import dev.sentinel.settings.ProgramSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    private static List<String> needsRestart(SentinelSection a, SentinelSection b) {
        List<String> sentences = new ArrayList<>();
        compare(sentences, "socket", socket(a), socket(b));
        compare(sentences, "socket_mode", mode(a.socketMode()), mode(b.socketMode()));
        compare(sentences, "socket_group", a.socketGroup(), b.socketGroup());
        compare(sentences, "metrics", a.metrics(), b.metrics());
        compare(sentences, "metrics_port", a.metricsPort(), b.metricsPort());
        compare(sentences, "metrics_host", a.metricsHost(), b.metricsHost());
        compare(sentences, "journal", a.journal(), b.journal());
        compare(sentences, "tui", a.tui() == null ? null : a.tui().name().toLowerCase(Locale.ROOT),
                b.tui() == null ? null : b.tui().name().toLowerCase(Locale.ROOT));
        compare(sentences, "cgroup", a.cgroup() == null ? null : a.cgroup().label(),
                b.cgroup() == null ? null : b.cgroup().label());
        return sentences;
    }

    private static void compare(List<String> sentences, String key, Object was, Object is) {
        if (!Objects.equals(was, is)) {
            sentences.add(key + " changed from " + shown(was) + " to " + shown(is)
                    + ": takes effect when Sentinel restarts");
        }
    }

    /** One value for the socket key: its path, false (no socket), or unset. */
    private static Object socket(SentinelSection s) {
        if (Boolean.FALSE.equals(s.socketEnabled())) {
            return false;
        }
        return s.socket();
    }

    private static String mode(Integer mode) {
        return mode == null ? null : String.format(Locale.ROOT, "%04o", mode);
    }

    private static String shown(Object value) {
        return value == null ? "the default" : value.toString();
    }
}
