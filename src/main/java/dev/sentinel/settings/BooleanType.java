package dev.sentinel.settings;

/** {@code true} or {@code false}: on the command line a flag, in a file a TOML boolean. */
public final class BooleanType implements ValueType<Boolean> {

    private final String accepted;

    /** @param accepted what a file's wrong value is told to be ({@code true, or false to serve no metrics}) */
    public BooleanType(String accepted) {
        this.accepted = accepted;
    }

    @Override
    public Class<?> javaType() {
        return Boolean.class;
    }

    @Override
    public Boolean parse(String word) {
        switch (word.strip()) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            default:
                throw new IllegalArgumentException("'" + word + "' is not true or false; use " + accepted + ".");
        }
    }

    @Override
    public Boolean read(Written written) {
        return written.bool(accepted);
    }
}
