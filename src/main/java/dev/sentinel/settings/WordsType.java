package dev.sentinel.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * A list of words: program names ({@code after = ["db", "cache"]}), or a check's command
 * ({@code exec = ["pg_isready", "-q"]}). In a file an array of strings; a command may also be one
 * string, which runs with {@code sh -c} as on the command line.
 */
public final class WordsType implements ValueType<List<String>> {

    /** Names of other programs: an array, or one name. */
    public static final WordsType NAMES = new WordsType(false);
    /** A command: an array of words run as they are, or one string run with {@code sh -c}. */
    public static final WordsType COMMAND = new WordsType(true);

    private final boolean command;

    private WordsType(boolean command) {
        this.command = command;
    }

    @Override
    public Class<?> javaType() {
        return String.class;
    }

    /** On the command line: a command is run with sh -c; names are comma-separated. */
    @Override
    public List<String> parse(String word) {
        if (command) {
            if (word.isBlank()) {
                throw new IllegalArgumentException("the command is empty; use a command like \"pg_isready -q\".");
            }
            return List.of("/bin/sh", "-c", word);
        }
        List<String> names = new ArrayList<>();
        for (String part : word.split(",")) {
            if (!part.isBlank()) {
                names.add(part.strip());
            }
        }
        return List.copyOf(names);
    }

    @Override
    public List<String> read(Written written) {
        String accepted = command ? "an array of words like [\"pg_isready\", \"-q\"] or a string like "
                + "\"pg_isready -q\"" : "an array of program names like [\"db\", \"cache\"]";
        if (written.isArray()) {
            List<String> words = written.stringArray(command ? "a command" : "a list of names", accepted);
            if (words == null) {
                return null;
            }
            if (command && (words.isEmpty() || words.get(0).isBlank())) {
                return written.problem("the command is empty; use " + accepted + ".");
            }
            return words;
        }
        String text = written.nonBlank(command ? "a command" : "a list of names", accepted);
        if (text == null) {
            return null;
        }
        return command ? List.of("/bin/sh", "-c", text) : List.of(text.strip());
    }

    @Override
    public String show(List<String> value) {
        return String.join(command ? " " : ", ", value);
    }

    /** How a check's command reads in events: the shell text, or the words. */
    public static String describeCommand(List<String> argv) {
        if (argv.size() == 3 && argv.get(0).equals("/bin/sh") && argv.get(1).equals("-c")) {
            return argv.get(2);
        }
        return String.join(" ", argv);
    }
}
