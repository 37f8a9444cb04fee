package dev.sentinel.cli;

import dev.sentinel.settings.Option;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The table's options as a parsed command line gives them: each typed (a {@link Option.Cli#WORD}
 * parsed here), checked, and whether the user chose it.
 */
final class ParsedOptions {

    private final ParseResult parsed;
    private final Map<String, String> environment;

    ParsedOptions(ParseResult parsed, Map<String, String> environment) {
        this.parsed = parsed;
        this.environment = environment;
    }

    /** The value: what was given, else the variable's, else the default; null for none. */
    <T> T value(Option<T> option) {
        OptionSpec spec = parsed.commandSpec().findOption(option.longName());
        switch (option.cli()) {
            case FLAG:
                return parsed.hasMatchedOption(spec) ? option.flagValue() : option.defaultValue();
            case WORD:
                String word = spec.getValue();
                return word == null ? null : option.type().parse(word);
            default:
                return spec.getValue();
        }
    }

    /** Whether the user chose it: on the command line, or by its environment variable. */
    boolean given(Option<?> option) {
        if (parsed.hasMatchedOption(option.longName())) {
            return true;
        }
        String value = option.env() == null ? null : environment.get(option.env());
        return value != null && !value.isEmpty();
    }

    boolean matched(Option<?> option) {
        return parsed.hasMatchedOption(option.longName());
    }

    /**
     * What is wrong with the first of {@code options} whose value picocli took but Sentinel does
     * not (a word that does not parse, a value out of range), as {@code --hook-timeout: 0 is too
     * short; ...}; null when nothing is.
     */
    String problem(List<Option<?>> options) {
        for (Option<?> o : options) {
            String problem = o.onCommandLine() && o.cli() != Option.Cli.FLAG ? problem(o) : null;
            if (problem != null) {
                return o.longName() + ": " + problem;
            }
        }
        return null;
    }

    private <T> String problem(Option<T> option) {
        T value;
        try {
            value = value(option);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return value == null ? null : option.type().check(value);
    }
}
