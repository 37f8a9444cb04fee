package dev.sentinel.settings;

import dev.sentinel.platform.cgroup.CgroupMode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A config file's {@code [sentinel]} table: the settings of Sentinel itself ({@link SentinelOptions})
 * that the file sets. One it does not set is absent, and the command line, the environment or
 * the default decides it. {@code socket = false} is {@link SentinelOptions#NO_SOCKET}. Immutable;
 * equal when the same settings have equal values.
 */
public final class SentinelSection {

    public static final SentinelSection EMPTY = new SentinelSection(Map.of());

    private final Map<Option<?>, Object> values;

    private SentinelSection(Map<Option<?>, Object> values) {
        this.values = Map.copyOf(values);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The file's value of {@code option}, or null when the file does not set it. */
    @SuppressWarnings("unchecked") // set() takes only a T for an Option<T>
    public <T> T get(Option<T> option) {
        return (T) values.get(option);
    }

    public boolean has(Option<?> option) {
        return values.containsKey(option);
    }

    /** The control socket's path. */
    public Path socket() {
        return get(SentinelOptions.SOCKET);
    }

    /** False for {@code socket = false}, true for a path, null when unset. */
    public Boolean socketEnabled() {
        return has(SentinelOptions.NO_SOCKET) ? Boolean.FALSE : has(SentinelOptions.SOCKET) ? Boolean.TRUE : null;
    }

    /** The socket file's mode ({@code socket_mode = "0660"}). */
    public Integer socketMode() {
        return get(SentinelOptions.SOCKET_MODE);
    }

    public String socketGroup() {
        return get(SentinelOptions.SOCKET_GROUP);
    }

    /** {@code metrics = false} turns the metrics endpoint off. */
    public Boolean metrics() {
        return get(SentinelOptions.METRICS);
    }

    public Integer metricsPort() {
        return get(SentinelOptions.METRICS_PORT);
    }

    public String metricsHost() {
        return get(SentinelOptions.METRICS_HOST);
    }

    public Path journal() {
        return get(SentinelOptions.JOURNAL);
    }

    public TuiMode tui() {
        return get(SentinelOptions.TUI);
    }

    /** Stay up when no program runs or waits to restart (for {@code start NAME}); false when unset. */
    public boolean keepRunning() {
        return Boolean.TRUE.equals(get(SentinelOptions.KEEP_RUNNING));
    }

    public CgroupMode cgroup() {
        return get(SentinelOptions.CGROUP);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SentinelSection s && s.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[sentinel]");
        for (Option<?> o : SentinelOptions.ALL) {
            if (has(o)) {
                b.append(' ').append(o.key() != null ? o.key() : o.docKey()).append('=').append(values.get(o));
            }
        }
        return b.toString();
    }

    /** Collects a file's settings, each at most once (the TOML reader refuses a key written twice). */
    public static final class Builder {
        private final Map<Option<?>, Object> values = new LinkedHashMap<>();

        private Builder() {
        }

        public <T> Builder set(Option<T> option, T value) {
            if (option.perProgram()) {
                throw new IllegalArgumentException(option.key() + " is a program's setting, not Sentinel's");
            }
            values.put(option, value);
            return this;
        }

        public SentinelSection build() {
            return new SentinelSection(values);
        }
    }
}
