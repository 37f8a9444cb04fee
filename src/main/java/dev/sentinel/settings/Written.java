package dev.sentinel.settings;

import java.nio.file.Path;

/**
 * A value as a config file wrote it, as the file's reader offers it to a {@link ValueType}. Each
 * method returns the value in one shape, or reports at the value's key and line that it has
 * another shape ({@code a boolean (true) is not a duration; use ...}) and returns null. Strings
 * come with their variables expanded, and relative paths are taken from the file's directory.
 */
public interface Written {

    /** A string; {@code noun} and {@code accepted} make the sentence for anything else. */
    String string(String noun, String accepted);

    /** A string that is not blank. */
    String nonBlank(String noun, String accepted);

    /** A string, or a number as text: a whole one, and with {@code fractions} one like {@code 0.5}. */
    String stringOrNumber(String noun, String accepted, boolean fractions);

    /** A whole number (its range is the type's to check). */
    Long whole(String noun, String accepted);

    /** {@code true} or {@code false}. */
    Boolean bool(String accepted);

    /** A non-blank string as a path. */
    Path path(String noun, String accepted);

    /** A string already read, as a path. */
    Path resolve(String text);

    /** Whether the value is an array. */
    boolean isArray();

    /** An array of strings (each expanded); anything else in it is reported. */
    java.util.List<String> stringArray(String noun, String accepted);

    /** Reports that the value is wrong: one sentence. Returns null, for {@code return written.problem(...)}. */
    <T> T problem(String message);
}
