package dev.sentinel.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IllegalFormatException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text for {@code man(7)} pages: escaping, the inline Markdown of docs/ ({@code `code`}, {@code
 * **bold**}, {@code *italic*}, links) and its blocks (paragraphs, two-column tables, lists, code).
 * The output is ASCII: any other character is written as a groff {@code \[uXXXX]} escape, so the
 * page reads the same whatever encoding a formatter assumes.
 */
final class Troff {

    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\(([^)\\s]+)\\)");
    private static final Pattern SYNOPSIS_WORD = Pattern.compile("--?[a-z][a-z-]*|--|[a-z][a-z-]*|[A-Z][A-Z_]*|.");

    private Troff() {
    }

    /**
     * Plain text with troff's special characters escaped, and {@code -}, {@code '} and {@code `} as the
     * ASCII characters they are (not a hyphen and typographic quotes), so that a command copied from
     * the page runs.
     */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            if (c == '\\') {
                b.append("\\e");
            } else if (c == '-') {
                b.append("\\-");
            } else if (c == '\'') {
                b.append("\\(aq");
            } else if (c == '`') {
                b.append("\\(ga");
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format(Locale.ROOT, "\\[u%04X]", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    static String bold(String s) {
        return "\\fB" + escape(s) + "\\fR";
    }

    static String italic(String s) {
        return "\\fI" + escape(s) + "\\fR";
    }

    /**
     * Lines of a text block for the page: a line that would start with a control character gets
     * {@code \&} in front, so that text is never read as a request.
     */
    static String lines(String troff) {
        StringBuilder b = new StringBuilder();
        for (String line : troff.split("\n", -1)) {
            if (line.startsWith(".") || line.startsWith("'")) {
                b.append("\\&");
            }
            b.append(line).append('\n');
        }
        return b.toString();
    }

    /**
     * A picocli text (a header, a description, a footer line): a format string, as picocli reads it,
     * so {@code %n} breaks the line; a text that is no valid format string is taken as it is, as
     * picocli does.
     */
    static String picocli(String text) {
        String formatted;
        try {
            formatted = String.format(Locale.ROOT, text);
        } catch (IllegalFormatException e) {
            formatted = text;
        }
        return String.join("\n.br\n", formatted.lines().map(Troff::escape).toList());
    }

    /**
     * One synopsis line as the help writes it ({@code sentinel [OPTIONS] --config FILE}): command
     * words and options bold, placeholders (upper case) italic, brackets and dots plain.
     */
    static String synopsis(String line) {
        StringBuilder b = new StringBuilder();
        Matcher m = SYNOPSIS_WORD.matcher(line);
        while (m.find()) {
            String w = m.group();
            if (Character.isUpperCase(w.charAt(0))) {
                b.append(italic(w));
            } else if (Character.isLowerCase(w.charAt(0)) || w.startsWith("-")) {
                b.append(bold(w));
            } else {
                b.append(escape(w));
            }
        }
        return b.toString();
    }

    /**
     * Inline Markdown as docs/ writes it. A link keeps its text; a link whose text is the file it
     * points to becomes that file's path in the repository ({@code docs/config.md}).
     */
    static String inline(String md) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < md.length()) {
            char c = md.charAt(i);
            if (c == '`') {
                int end = md.indexOf('`', i + 1);
                if (end > i) {
                    b.append(bold(md.substring(i + 1, end)));
                    i = end + 1;
                    continue;
                }
            } else if (md.startsWith("**", i)) {
                int end = md.indexOf("**", i + 2);
                if (end > i) {
                    b.append("\\fB").append(inline(md.substring(i + 2, end))).append("\\fR");
                    i = end + 2;
                    continue;
                }
            } else if (c == '*' && i + 1 < md.length() && md.charAt(i + 1) != ' ') {
                int end = md.indexOf('*', i + 1);
                if (end > i) {
                    b.append("\\fI").append(inline(md.substring(i + 1, end))).append("\\fR");
                    i = end + 1;
                    continue;
                }
            } else if (c == '[') {
                Matcher m = LINK.matcher(md).region(i, md.length());
                if (m.lookingAt()) {
                    String text = m.group(1);
                    String file = m.group(2).replaceFirst("#.*", "");
                    b.append(!file.isEmpty() && file.endsWith(text)
                            ? bold(Path.of("docs").resolve(file).normalize().toString()) : inline(text));
                    i = m.end();
                    continue;
                }
            }
            b.append(escape(String.valueOf(c)));
            i++;
        }
        return b.toString();
    }

    /**
     * The blocks of a Markdown section: paragraphs, two-column tables (as tagged paragraphs, the
     * header row dropped), {@code -} lists and fenced code.
     */
    static String blocks(String md) {
        StringBuilder b = new StringBuilder();
        List<String> lines = md.lines().toList();
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.isBlank()) {
                i++;
            } else if (line.startsWith("```")) {
                b.append(".PP\n.RS 4\n.nf\n");
                for (i++; i < lines.size() && !lines.get(i).startsWith("```"); i++) {
                    b.append(lines(escape(lines.get(i))));
                }
                b.append(".fi\n.RE\n");
                i++;
            } else if (line.startsWith("|")) {
                List<String[]> rows = new ArrayList<>();
                for (; i < lines.size() && lines.get(i).startsWith("|"); i++) {
                    rows.add(cells(lines.get(i)));
                }
                for (String[] row : rows.subList(Math.min(2, rows.size()), rows.size())) {
                    b.append(".TP\n").append(lines(inline(row[0])));
                    b.append(lines(inline(String.join("; ", List.of(row).subList(1, row.length)))));
                }
            } else {
                boolean item = line.startsWith("- ");
                StringBuilder text = new StringBuilder(item ? line.substring(2) : line);
                for (i++; i < lines.size() && !lines.get(i).isBlank() && !lines.get(i).startsWith("- ")
                        && !lines.get(i).startsWith("```") && !lines.get(i).startsWith("|"); i++) {
                    text.append(' ').append(lines.get(i).strip());
                }
                b.append(item ? ".IP \\(bu 2\n" : ".PP\n").append(lines(inline(text.toString())));
            }
        }
        return b.toString();
    }

    /**
     * The text under one heading of a Markdown file, up to the next heading of the same or a higher
     * level; IllegalStateException naming the heading when it is not there.
     */
    static String section(String md, String heading) {
        List<String> lines = md.lines().toList();
        int level = heading.indexOf(' ');
        int start = lines.indexOf(heading);
        if (start < 0) {
            throw new IllegalStateException("no heading '" + heading + "'");
        }
        int end = start + 1;
        boolean fenced = false;
        for (; end < lines.size() && (fenced || !isHeadingUpTo(lines.get(end), level)); end++) {
            fenced ^= lines.get(end).startsWith("```");
        }
        return String.join("\n", lines.subList(start + 1, end));
    }

    private static boolean isHeadingUpTo(String line, int level) {
        int hashes = 0;
        while (hashes < line.length() && line.charAt(hashes) == '#') {
            hashes++;
        }
        return hashes > 0 && hashes <= level && line.length() > hashes && line.charAt(hashes) == ' ';
    }

    private static String[] cells(String row) {
        String inner = row.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        String[] cells = inner.split("\\|", -1);
        for (int i = 0; i < cells.length; i++) {
            cells[i] = cells[i].strip();
        }
        return cells;
    }
}
