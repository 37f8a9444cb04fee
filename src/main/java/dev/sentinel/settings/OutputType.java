package dev.sentinel.settings;

import java.nio.file.Path;

/** Where a program's output goes: {@code prefix}, {@code discard}, or a file (from the config file's directory). */
final class OutputType implements ValueType<OutputTarget> {

    private static final String ACCEPTED = "\"prefix\", \"discard\" or a file path";

    @Override
    public Class<?> javaType() {
        return OutputTarget.class;
    }

    @Override
    public OutputTarget parse(String word) {
        OutputTarget named = named(word);
        return named != null ? named : new OutputTarget.ToFile(Path.of(word));
    }

    @Override
    public OutputTarget read(Written written) {
        String text = written.nonBlank("an output", ACCEPTED);
        if (text == null) {
            return null;
        }
        OutputTarget named = named(text);
        if (named != null) {
            return named;
        }
        Path file = written.resolve(text);
        return file == null ? null : new OutputTarget.ToFile(file);
    }

    @Override
    public String show(OutputTarget value) {
        if (value instanceof OutputTarget.ToFile f) {
            return f.path().toString();
        }
        return value instanceof OutputTarget.Discard ? "discard" : "prefix";
    }

    private static OutputTarget named(String word) {
        if (word.equals("prefix")) {
            return OutputTarget.PREFIX;
        }
        return word.equals("discard") ? OutputTarget.DISCARD : null;
    }
}
