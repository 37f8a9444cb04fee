package dev.sentinel.cli;

import dev.sentinel.settings.Option;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The picocli option of a table {@link Option}: its names, its label, its default through its
 * environment variable ({@code ${env:SENTINEL_GRACE:-3s}}), its converter, and its help with the
 * variable and the default beside it.
 */
final class OptionSpecs {

    private OptionSpecs() {
    }

    static OptionSpec of(Option<?> option) {
        OptionSpec.Builder b = OptionSpec.builder(option.names().toArray(new String[0]))
                .description(description(option));
        if (option.cli() == Option.Cli.FLAG) {
            return b.type(boolean.class).arity("0").build();
        }
        b.paramLabel(option.label()).defaultValue(defaultValue(option));
        if (option.cli() == Option.Cli.WORD) {
            return b.type(String.class).build();
        }
        return b.type(option.type().javaType()).converters(new Converter<>(option.type())).build();
    }

    /** What picocli takes when the option is not given: the variable, else the default. */
    static String defaultValue(Option<?> option) {
        if (option.env() == null) {
            return option.defaultWord();
        }
        return "${env:" + option.env() + (option.defaultWord() == null ? "" : ":-" + option.defaultWord()) + "}";
    }

    /**
     * The help as picocli holds it: the text, and the note of its variable and default as a second
     * line that the help keeps whole (HelpSections). picocli formats a description with
     * String.format, so a percent sign is doubled.
     */
    static String[] description(Option<?> option) {
        String text = escaped(plain(option.help()));
        String note = note(option);
        return note == null ? new String[] {text} : new String[] {text, escaped(note)};
    }

    /** Markdown as plain text: the help is read in a terminal. */
    static String plain(String markdown) {
        return markdown.replace("`", "");
    }

    private static String note(Option<?> option) {
        String inFile = option.fileDefaultWord() == null || option.fileDefaultWord().equals(option.defaultWord())
                ? "" : "; in a config file " + option.fileDefaultWord();
        String shown = option.defaultWord() != null && option.cli() != Option.Cli.FLAG
                ? "default ${DEFAULT-VALUE}" + inFile
                : option.defaultText() != null ? "default: " + plain(option.defaultText()) : null;
        if (option.env() == null) {
            return shown == null ? null : "(" + shown + ")";
        }
        return "(env " + option.env() + (shown == null ? "" : ", " + shown) + ")";
    }

    private static String escaped(String text) {
        return text.replace("%", "%%");
    }
}
