package dev.sentinel.settings;

/**
 * How one kind of option value is written: the parser of a command-line word (or of an
 * environment variable's value) and of a config file's value, with the one sentence each gives
 * for a bad one. The two readings share their parser, so a size means the same on the command
 * line and in a file. Implementations are immutable.
 *
 * @param <T> the value
 */
public interface ValueType<T> {

    /** The Java type picocli is told about (it converts through {@link #parse}). */
    Class<?> javaType();

    /**
     * The value a word stands for.
     *
     * @throws IllegalArgumentException with one sentence naming the word and what is accepted
     */
    T parse(String word);

    /** The value a config file wrote, or null once {@code written} has reported what is wrong with it. */
    T read(Written written);

    /**
     * Null when a value that parsed is acceptable, otherwise one sentence ({@code 0 is too short;
     * ...}). Both readings check it, after {@link #parse} and after {@link #read}.
     */
    default String check(T value) {
        return null;
    }

    /** The value as users write it, for sentences like "metrics_port changed from 8000 to 9000". */
    default String show(T value) {
        return String.valueOf(value);
    }
}
