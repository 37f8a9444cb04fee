package dev.sentinel.settings;

import java.util.ArrayList;
import java.util.List;

/**
 * The options table of docs/options.md, made from the option table: one row per option, in the
 * table's order, then the two options every command has.
 */
final class OptionsDoc {

    static final String BEGIN = "<!-- BEGIN GENERATED: options -->";
    static final String END = "<!-- END GENERATED: options -->";

    private OptionsDoc() {
    }

    /** The lines between the markers. */
    static String table() {
        List<String> rows = new ArrayList<>();
        rows.add("| config key | command line | environment | default | per program | what it sets |");
        rows.add("|---|---|---|---|---|---|");
        for (Option<?> o : OptionTable.ALL) {
            rows.add(row(o));
        }
        rows.add("| `-` | `-h`, `--help` | | | no | Show the help and exit. |");
        rows.add("| `-` | `-V`, `--version` | | | no | Print the version and exit. |");
        return String.join("\n", rows) + "\n";
    }

    private static String row(Option<?> o) {
        StringBuilder row = new StringBuilder("|");
        for (String cell : List.of(key(o), commandLine(o), o.env() == null ? "" : code(o.env()), defaultShown(o),
                o.perProgram() ? "yes" : "no", cell(what(o)))) {
            row.append(cell.isEmpty() ? " " : " " + cell + " ").append('|');
        }
        return row.toString();
    }

    private static String key(Option<?> o) {
        if (o.key() != null) {
            return code(o.perProgram() ? o.key() : "[sentinel] " + o.key());
        }
        return code(o.docKey() != null ? o.docKey() : "-");
    }

    private static String commandLine(Option<?> o) {
        if (!o.onCommandLine()) {
            return code(o.label() != null ? o.label() : "-");
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < o.names().size(); i++) {
            boolean last = i == o.names().size() - 1;
            names.add(code(o.names().get(i) + (last && o.cli() != Option.Cli.FLAG ? " " + o.label() : "")));
        }
        return String.join(", ", names);
    }

    private static String defaultShown(Option<?> o) {
        if (o.cli() == Option.Cli.FLAG && o.key() == null) {
            return "";
        }
        if (o.defaultWord() != null) {
            return code(o.defaultWord()) + (o.fileDefaultWord().equals(o.defaultWord()) ? ""
                    : "; in a file " + code(o.fileDefaultWord()));
        }
        return o.defaultText() == null ? "" : cell(o.defaultText());
    }

    private static String what(Option<?> o) {
        return o.help() + (o.seeAlso() == null ? "" : " See " + o.seeAlso() + ".");
    }

    private static String code(String text) {
        return "`" + text + "`";
    }

    /** A table cell: a | would end it. */
    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
