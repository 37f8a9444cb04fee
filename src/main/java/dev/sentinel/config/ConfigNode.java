package dev.sentinel.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A value of the config file as the TOML reader found it, with the line it was written on. The
 * loader works on these instead of the TOML library's types, so that the library stays inside
 * {@link TomlReader} (and is loaded only when a file is).
 */
sealed interface ConfigNode {

    int line();

    /** How a problem names what was found: {@code a boolean (true)}, {@code an array}. */
    String describe();

    record Text(String value, int line) implements ConfigNode {
        @Override
        public String describe() {
            return "a string";
        }
    }

    record Whole(long value, int line) implements ConfigNode {
        @Override
        public String describe() {
            return "an integer (" + value + ")";
        }
    }

    record Real(double value, int line) implements ConfigNode {
        @Override
        public String describe() {
            return "a float (" + plain() + ")";
        }

        /** The number as a user would write it ({@code 0.0001}, never {@code 1.0E-4}). */
        String plain() {
            return Double.isFinite(value) ? BigDecimal.valueOf(value).stripTrailingZeros().toPlainString()
                    : Double.toString(value);
        }
    }

    record Bool(boolean value, int line) implements ConfigNode {
        @Override
        public String describe() {
            return "a boolean (" + value + ")";
        }
    }

    record Array(List<ConfigNode> items, int line) implements ConfigNode {
        public Array {
            items = List.copyOf(items);
        }

        @Override
        public String describe() {
            return "an array";
        }
    }

    /** A table; its entries keep the file's order. */
    record Table(Map<String, ConfigNode> entries, int line) implements ConfigNode {
        @Override
        public String describe() {
            return "a table";
        }
    }

    /** A date or a time: no key of Sentinel takes one. */
    record Other(String kind, int line) implements ConfigNode {
        @Override
        public String describe() {
            return "a " + kind;
        }
    }
}
