package dev.sentinel.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * One setting, declared once: its key in a config file, its command-line names, its environment
 * variable, its default, how its value is written ({@link ValueType}), its help, and whether it
 * describes one program or Sentinel itself. The picocli options, the config file's keys and their
 * checks, {@link ProgramSettings.Builder}'s defaults and the options table of docs/options.md
 * are all made from these ({@link ProgramOptions}, {@link SentinelOptions}).
 *
 * @param scope whether it belongs to one program ({@code [defaults]}, {@code [programs.NAME]}) or
 *              to Sentinel ({@code [sentinel]})
 * @param key its key in a config file, or null when a file has none
 * @param docKey what the options table shows for a setting without a key that a file still has in
 *               another form ({@code [programs.NAME]} for the name), or null
 * @param names its command-line names, short first ({@code -m}, {@code --memory-limit}); empty
 *              when only a file sets it
 * @param label the word that stands for its value in the help ({@code SIZE}), or null for a flag
 * @param env the environment variable that sets it (the command line wins), or null
 * @param cli how the command line gives it
 * @param flagWord for a {@link Cli#FLAG}, the word the flag stands for ({@code --no-metrics}: false)
 * @param type how its value is written; null for the few a file's reader reads by hand (command, env)
 * @param defaultWord the default as users write it ({@code 512M}), or null for none
 * @param defaultValue {@code defaultWord} parsed
 * @param fileDefaultWord the default in a config file: the same but for {@code restart}
 * @param fileDefault {@code fileDefaultWord} parsed
 * @param defaultText the default in words where it is not a value ({@code the command's base
 *                    name}), or null
 * @param help what it sets, in one or two sentences of Markdown (backticks; no links)
 * @param seeAlso a Markdown link the options table adds ({@code [Spike tolerance](states.md#...)}), or null
 * @param setter how a program's value is applied to {@link ProgramSettings.Builder}; null for
 *               Sentinel's own settings and the few set by hand
 */
public record Option<T>(Scope scope, String key, String docKey, List<String> names, String label, String env,
                        Cli cli, String flagWord, ValueType<T> type, String defaultWord, T defaultValue,
                        String fileDefaultWord, T fileDefault, String defaultText, String help, String seeAlso,
                        Setter<T> setter) {

    /** Where a setting belongs. */
    public enum Scope {
        /** One program's: in a file under {@code [defaults]} or {@code [programs.NAME]}. */
        PROGRAM,
        /** Sentinel's own: in a file under {@code [sentinel]}. */
        SENTINEL
    }

    /** How the command line gives a value. */
    public enum Cli {
        /** {@code --grace 3s}: picocli converts the word with {@link ValueType#parse}. */
        VALUE,
        /**
         * {@code --hook-events exited}: picocli keeps the word and Sentinel parses it after, so that
         * its error reads {@code sentinel: --hook-events: ...} as a check's does.
         */
        WORD,
        /** {@code --no-metrics}: no value; the flag stands for {@link #flagWord}. */
        FLAG
    }

    /** Applies a program's value: a setter of {@link ProgramSettings.Builder}. */
    @FunctionalInterface
    public interface Setter<T> {
        void set(ProgramSettings.Builder builder, T value);
    }

    public Option {
        names = List.copyOf(names);
        if (help == null || help.isBlank()) {
            throw new IllegalArgumentException("an option needs its help: " + key + " " + names);
        }
        if (!names.isEmpty() && (type == null || cli == null || (cli == Cli.FLAG) != (label == null))) {
            throw new IllegalArgumentException("a command-line option needs a type, and a label unless it is a "
                    + "flag: " + names);
        }
    }

    /** A setting of one program, read from {@code key} (null: none) as {@code type} says. */
    public static <T> Declaration<T> program(String key, ValueType<T> type) {
        return new Declaration<>(Scope.PROGRAM, key, type);
    }

    /** A setting of Sentinel itself. */
    public static <T> Declaration<T> sentinel(String key, ValueType<T> type) {
        return new Declaration<>(Scope.SENTINEL, key, type);
    }

    /** The config-file keys of {@code options}, in their order. */
    public static List<String> keys(List<Option<?>> options) {
        List<String> keys = new ArrayList<>();
        for (Option<?> o : options) {
            if (o.key() != null) {
                keys.add(o.key());
            }
        }
        return List.copyOf(keys);
    }

    /** The longest command-line name ({@code --memory-limit}), or null. */
    public String longName() {
        return names.isEmpty() ? null : names.get(names.size() - 1);
    }

    public boolean onCommandLine() {
        return !names.isEmpty();
    }

    public boolean perProgram() {
        return scope == Scope.PROGRAM;
    }

    /** The value the flag stands for ({@link Cli#FLAG} only). */
    public T flagValue() {
        return type.parse(flagWord);
    }

    /** Builds an {@link Option}: a declaration reads as a sentence in the tables. */
    public static final class Declaration<T> {
        private final Scope scope;
        private final String key;
        private final ValueType<T> type;
        private String docKey;
        private List<String> names = List.of();
        private String label;
        private String env;
        private Cli cli;
        private String flagWord;
        private String defaultWord;
        private String fileDefaultWord;
        private String defaultText;
        private String help;
        private String seeAlso;
        private Setter<T> setter;

        private Declaration(Scope scope, String key, ValueType<T> type) {
            this.scope = scope;
            this.key = key;
            this.type = type;
        }

        /** {@code --grace DURATION} (and any shorter names first). */
        public Declaration<T> option(String label, String... names) {
            this.names = List.of(names);
            this.label = label;
            this.cli = Cli.VALUE;
            return this;
        }

        /** As {@link #option}, but the word is parsed after picocli ({@link Cli#WORD}). */
        public Declaration<T> word(String label, String... names) {
            option(label, names);
            this.cli = Cli.WORD;
            return this;
        }

        /** A flag without a value that stands for {@code word}. */
        public Declaration<T> flag(String name, String word) {
            this.names = List.of(name);
            this.cli = Cli.FLAG;
            this.flagWord = word;
            return this;
        }

        /** In the help and the options table only: the name a label stands for ({@code COMMAND [ARGS...]}). */
        public Declaration<T> label(String label) {
            this.label = label;
            return this;
        }

        public Declaration<T> env(String variable) {
            this.env = variable;
            return this;
        }

        public Declaration<T> byDefault(String word) {
            this.defaultWord = word;
            return this;
        }

        /** A config file's default, where it differs from the command line's. */
        public Declaration<T> inFileByDefault(String word) {
            this.fileDefaultWord = word;
            return this;
        }

        public Declaration<T> defaultText(String text) {
            this.defaultText = text;
            return this;
        }

        public Declaration<T> docKey(String text) {
            this.docKey = text;
            return this;
        }

        public Declaration<T> help(String text) {
            this.help = text;
            return this;
        }

        public Declaration<T> seeAlso(String link) {
            this.seeAlso = link;
            return this;
        }

        public Declaration<T> appliedBy(Setter<T> s) {
            this.setter = s;
            return this;
        }

        /** The option; a default that does not parse fails here, when the table is first used. */
        public Option<T> build() {
            T value = defaultWord == null ? null : type.parse(defaultWord);
            String fileWord = fileDefaultWord == null ? defaultWord : fileDefaultWord;
            T fileValue = fileDefaultWord == null ? value : type.parse(fileDefaultWord);
            return new Option<>(scope, key, docKey, names, label, env, cli, flagWord, type, defaultWord, value,
                    fileWord, fileValue, defaultText, help, seeAlso, setter);
        }
    }
}
