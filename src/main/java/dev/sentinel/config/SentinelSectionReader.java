package dev.sentinel.config;

import dev.sentinel.settings.Option;
import dev.sentinel.settings.SentinelOptions;
import dev.sentinel.settings.SentinelSection;
import java.util.Map;

/**
 * Reads the {@code [sentinel]} table: Sentinel's own settings, each key read by its option's type
 * ({@link SentinelOptions}). Only {@code socket} is read by hand: it is a path, or {@code false}
 * for {@code --no-socket}.
 */
final class SentinelSectionReader {

    private final Values values;

    SentinelSectionReader(Values values) {
        this.values = values;
    }

    SentinelSection read(ConfigNode.Table table) {
        SentinelSection.Builder section = SentinelSection.builder();
        for (Map.Entry<String, ConfigNode> e : table.entries().entrySet()) {
            Setting s = new Setting(KeyPath.child("sentinel", e.getKey()), e.getValue());
            Option<?> option = SentinelOptions.byKey(e.getKey());
            if (option == null) {
                values.problem(s, UnknownKeys.message(e.getKey(), SentinelOptions.KEYS, UnknownKeys.Place.SENTINEL));
            } else if (option == SentinelOptions.SOCKET) {
                socket(section, s);
            } else {
                set(section, option, s);
            }
        }
        return section.build();
    }

    private <T> void set(SentinelSection.Builder section, Option<T> option, Setting s) {
        T value = values.read(option.type(), s);
        if (value != null) {
            section.set(option, value);
        }
    }

    private void socket(SentinelSection.Builder section, Setting s) {
        if (!(s.node() instanceof ConfigNode.Bool b)) {
            set(section, SentinelOptions.SOCKET, s);
        } else if (b.value()) {
            values.problem(s, "true is not accepted (a socket is on by default); use "
                    + SentinelOptions.SOCKET_ACCEPTED + ".");
        } else {
            section.set(SentinelOptions.NO_SOCKET, Boolean.TRUE);
        }
    }
}
