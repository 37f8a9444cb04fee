package dev.sentinel.settings;

import java.util.Locale;

/**
 * A file mode in octal ({@code 0600}, {@code 0660}); in a file a string, since a TOML number
 * would be read as decimal.
 */
final class FileModeType implements ValueType<Integer> {

    private static final String ACCEPTED = "an octal string like \"0600\" or \"0660\"";

    @Override
    public Class<?> javaType() {
        return Integer.class;
    }

    @Override
    public Integer parse(String word) {
        try {
            int mode = Integer.parseInt(word, 8);
            if (mode >= 0 && mode <= 0777) {
                return mode;
            }
        } catch (NumberFormatException e) {
            // Said below.
        }
        throw new IllegalArgumentException("'" + word + "' is not a file mode; use octal like 0600 or 0660.");
    }

    @Override
    public Integer read(Written written) {
        String text = written.string("a file mode", ACCEPTED);
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.matches("[0-7]{1,4}")) {
            int mode = Integer.parseInt(t, 8);
            if (mode <= 0777) {
                return mode;
            }
        }
        return written.problem("'" + text + "' is not a file mode; use " + ACCEPTED + ".");
    }

    @Override
    public String show(Integer value) {
        return String.format(Locale.ROOT, "%04o", value);
    }
}
