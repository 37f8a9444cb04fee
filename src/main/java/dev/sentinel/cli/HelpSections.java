package dev.sentinel.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The sections of a command's help, laid out as picocli lays them out but wrapped at blanks only.
 * picocli wraps wherever {@link java.text.BreakIterator} allows a line break, and that is inside
 * {@code app.py}, {@code 1.5G} and {@code --restart-delay}; here a word is never split, and a
 * note of an option (its variable and default) stays on one line when it fits on one. The
 * command's own texts are printed as written (picocli would format them with String.format).
 */
final class HelpSections implements IHelpSectionRenderer {

    /** The column where an option's description starts, and how far its later lines are indented. */
    private static final int DESCRIPTION = 29;
    private static final int MORE = 2;
    /** A long name with its label longer than this puts the description on the next line, as picocli does. */
    private static final int LONG_NAME = 20;

    enum Section { HEADER, SYNOPSIS, DESCRIPTION, PARAMETERS, OPTIONS, FOOTER }

    private final Section section;
    private final Map<String, String> headings;

    /** @param headings for the option list: a heading to print before the option of that name */
    HelpSections(Section section, Map<String, String> headings) {
        this.section = section;
        this.headings = headings;
    }

    /** Installs every section's renderer in {@code spec}. */
    static void install(CommandSpec spec, Map<String, String> headings) {
        Map<String, IHelpSectionRenderer> map = spec.usageMessage().sectionMap();
        map.put(UsageMessageSpec.SECTION_KEY_HEADER, new HelpSections(Section.HEADER, headings));
        map.put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, new HelpSections(Section.SYNOPSIS, headings));
        map.put(UsageMessageSpec.SECTION_KEY_DESCRIPTION, new HelpSections(Section.DESCRIPTION, headings));
        map.put(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, new HelpSections(Section.PARAMETERS, headings));
        map.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, new HelpSections(Section.OPTIONS, headings));
        map.put(UsageMessageSpec.SECTION_KEY_FOOTER, new HelpSections(Section.FOOTER, headings));
    }

    @Override
    public String render(Help help) {
        CommandSpec spec = help.commandSpec();
        UsageMessageSpec usage = spec.usageMessage();
        int width = usage.width();
        List<String> lines = new ArrayList<>();
        switch (section) {
            case HEADER -> paragraphs(usage.header(), width, lines);
            case SYNOPSIS -> lines.addAll(List.of(usage.customSynopsis()));
            case DESCRIPTION -> paragraphs(usage.description(), width, lines);
            case PARAMETERS -> {
                for (PositionalParamSpec p : spec.positionalParameters()) {
                    if (!p.hidden()) {
                        row("      " + label(p), p.description(), width, lines);
                    }
                }
            }
            case OPTIONS -> {
                for (OptionSpec o : spec.options()) {
                    String heading = headings.get(o.longestName());
                    if (heading != null) {
                        lines.add("");
                        paragraphs(new String[] {heading}, width, lines);
                    }
                    if (!o.hidden()) {
                        row(names(o), o.description(), width, lines);
                    }
                }
            }
            case FOOTER -> paragraphs(usage.footer(), width, lines);
            default -> throw new IllegalStateException(section.toString());
        }
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }

    private static void paragraphs(String[] texts, int width, List<String> lines) {
        for (String text : texts) {
            Lines l = new Lines(0, width, 0);
            l.words(text);
            lines.addAll(l.done());
        }
    }

    /** {@code  -m, --memory-limit=SIZE}, with the description beside it (or under it, for a long name). */
    private static void row(String names, String[] description, int width, List<String> lines) {
        int first = names.length() <= 6 + LONG_NAME ? DESCRIPTION : -1;
        if (first < 0) {
            lines.add(names);
        }
        Lines l = new Lines(DESCRIPTION, width, MORE);
        for (int i = 0; i < description.length; i++) {
            if (i == 0) {
                l.words(description[i]);
            } else {
                l.whole(description[i]);
            }
        }
        List<String> text = l.done();
        for (int i = 0; i < text.size(); i++) {
            if (i == 0 && first > 0) {
                lines.add(pad(names, DESCRIPTION) + text.get(0).substring(DESCRIPTION));
            } else {
                lines.add(text.get(i));
            }
        }
    }

    private static String names(OptionSpec o) {
        String[] names = o.names();
        String shortName = names.length > 1 && !names[0].startsWith("--") ? names[0] + ", " : "    ";
        String longName = o.longestName() + (o.arity().max() > 0 ? "=" + o.paramLabel() : "");
        return "  " + shortName + longName;
    }

    private static String label(PositionalParamSpec p) {
        String label = p.paramLabel() + (p.arity().max() > 1 ? "..." : "");
        return p.arity().min() == 0 ? "[" + label + "]" : label;
    }

    private static String pad(String text, int width) {
        return text + " ".repeat(Math.max(1, width - text.length()));
    }

    /** Text wrapped at blanks into lines of a column: from {@code indent}, later lines {@code more} further in. */
    private static final class Lines {
        private final int indent;
        private final int width;
        private final int more;
        private final List<String> done = new ArrayList<>();
        private StringBuilder line;

        Lines(int indent, int width, int more) {
            this.indent = indent;
            this.width = width;
            this.more = more;
        }

        void words(String text) {
            for (String word : text.strip().split("\\s+")) {
                if (!word.isEmpty()) {
                    add(word);
                }
            }
        }

        /** Text kept on one line: this one if it fits, else the next, else wrapped as words. */
        void whole(String text) {
            String t = text.strip().replaceAll("\\s+", " ");
            if (line != null && line.length() + 1 + t.length() <= width) {
                line.append(' ').append(t);
            } else if (start(done.isEmpty() && line == null) + t.length() <= width) {
                newLine();
                line.append(t);
            } else {
                words(t);
            }
        }

        private void add(String word) {
            if (line != null && line.length() + 1 + word.length() <= width) {
                line.append(' ').append(word);
            } else {
                newLine();
                line.append(word);
            }
        }

        private void newLine() {
            if (line != null) {
                done.add(line.toString());
            }
            line = new StringBuilder(" ".repeat(start(line == null && done.isEmpty())));
        }

        private int start(boolean first) {
            return first ? indent : indent + more;
        }

        List<String> done() {
            if (line != null) {
                done.add(line.toString());
                line = null;
            }
            return done;
        }
    }
}
