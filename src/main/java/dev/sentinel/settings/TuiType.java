package dev.sentinel.settings;

import java.util.Locale;

/**
 * {@code auto}, {@code always} or {@code never}. A file's sentence quotes the words, as TOML
 * strings are written; the command line's does not.
 */
final class TuiType implements ValueType<TuiMode> {

    private static final String WORDS = "auto, always or never";
    private static final String QUOTED = "\"auto\", \"always\" or \"never\"";

    @Override
    public Class<?> javaType() {
        return TuiMode.class;
    }

    @Override
    public TuiMode parse(String word) {
        TuiMode mode = mode(word);
        if (mode == null) {
            throw new IllegalArgumentException(sentence(word, WORDS));
        }
        return mode;
    }

    @Override
    public TuiMode read(Written written) {
        String text = written.string("a dashboard mode", QUOTED);
        if (text == null) {
            return null;
        }
        TuiMode mode = mode(text);
        return mode != null ? mode : written.problem(sentence(text, QUOTED));
    }

    @Override
    public String show(TuiMode value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static TuiMode mode(String word) {
        String w = word.strip().toUpperCase(Locale.ROOT);
        for (TuiMode m : TuiMode.values()) {
            if (m.name().equals(w)) {
                return m;
            }
        }
        return null;
    }

    private static String sentence(String word, String accepted) {
        return "'" + word + "' is not a dashboard mode; use " + accepted + ".";
    }
}
