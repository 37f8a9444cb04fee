package dev.sentinel.settings;

/** Free text (a name, a shell command, an address): any word, and in a file a string that is not blank. */
public final class TextType implements ValueType<String> {

    private final String noun;
    private final String accepted;

    public TextType(String noun, String accepted) {
        this.noun = noun;
        this.accepted = accepted;
    }

    @Override
    public Class<?> javaType() {
        return String.class;
    }

    @Override
    public String parse(String word) {
        return word;
    }

    @Override
    public String read(Written written) {
        return written.nonBlank(noun, accepted);
    }
}
