package dev.sentinel.metrics;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small rewrites of PromQL expressions so that a test can ask Prometheus whether they find data. */
final class PromQl {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)\\}?");

    private PromQl() {
    }

    /**
     * Adds {@code bool} to every comparison outside brackets: {@code a / b > 0.9} becomes
     * {@code a / b > bool 0.9}, which returns 0 or 1 for every series the comparison looks at,
     * instead of only those over the threshold. An alert's expression then has data whether or
     * not it fires, and an empty answer means its names, labels or matching are wrong.
     */
    static String withBool(String expr) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            out.append(c);
            if (quote != 0) {
                if (c == '\\' && i + 1 < expr.length()) {
                    out.append(expr.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '"', '\'', '`' -> quote = c;
                case '(', '[', '{' -> depth++;
                case ')', ']', '}' -> depth--;
                default -> {
                    if (depth == 0 && isComparison(expr, i)) {
                        char next = i + 1 < expr.length() ? expr.charAt(i + 1) : ' ';
                        if (next == '=') {
                            out.append(next);
                            i++;
                        }
                        if (!expr.substring(i + 1).stripLeading().startsWith("bool")) {
                            out.append(" bool");
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    private static boolean isComparison(String expr, int i) {
        char c = expr.charAt(i);
        char next = i + 1 < expr.length() ? expr.charAt(i + 1) : ' ';
        return c == '>' || c == '<' || (c == '=' && next == '=') || (c == '!' && next == '=');
    }

    /** Replaces Grafana variables ({@code $name}, {@code ${name}}) with the given values; fails on unknown ones. */
    static String substitute(String expr, Map<String, String> values) {
        Matcher m = VARIABLE.matcher(expr);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new AssertionError("unknown Grafana variable $" + m.group(1) + " in " + expr);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
