package dev.sentinel.settings;

/**
 * One of a few words ({@code on-failure}, {@code require}, {@code exited,gave-up}): a word, or in
 * a file a string. The parser's sentence is the same in both. An instance is a subclass that
 * says how a word parses (and is shown, where {@code toString} is not the word).
 */
public abstract class WordType<T> implements ValueType<T> {

    private final Class<?> javaType;
    private final String noun;
    private final String accepted;

    /**
     * @param noun what a file's value of another type is not ({@code a restart policy})
     * @param accepted what to write instead
     */
    protected WordType(Class<?> javaType, String noun, String accepted) {
        this.javaType = javaType;
        this.noun = noun;
        this.accepted = accepted;
    }

    @Override
    public Class<?> javaType() {
        return javaType;
    }

    @Override
    public T read(Written written) {
        String text = written.string(noun, accepted);
        if (text == null) {
            return null;
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return written.problem(e.getMessage());
        }
    }
}
