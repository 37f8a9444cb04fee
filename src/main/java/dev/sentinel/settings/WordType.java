package dev.sentinel.settings;

import java.util.function.Function;

/**
 * One of a few words ({@code on-failure}, {@code require}, {@code exited,gave-up}): a word, or in
 * a file a string. The parser's sentence is the same in both.
 */
public final class WordType<T> implements ValueType<T> {

    private final Class<?> javaType;
    private final Function<String, T> parser;
    private final Function<T, String> shown;
    private final String noun;
    private final String accepted;

    /**
     * @param shown the word for a value, for sentences about it
     * @param noun what a file's value of another type is not ({@code a restart policy})
     * @param accepted what to write instead
     */
    public WordType(Class<?> javaType, Function<String, T> parser, Function<T, String> shown, String noun,
                    String accepted) {
        this.javaType = javaType;
        this.parser = parser;
        this.shown = shown;
        this.noun = noun;
        this.accepted = accepted;
    }

    @Override
    public Class<?> javaType() {
        return javaType;
    }

    @Override
    public T parse(String word) {
        return parser.apply(word);
    }

    @Override
    public T read(Written written) {
        String text = written.string(noun, accepted);
        if (text == null) {
            return null;
        }
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            return written.problem(e.getMessage());
        }
    }

    @Override
    public String show(T value) {
        return shown.apply(value);
    }
}
