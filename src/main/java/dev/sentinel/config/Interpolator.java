package dev.sentinel.config;

import java.util.Map;

/**
 * Expands {@code ${VAR}}, {@code ${VAR:-default}} (unset or empty) and {@code ${VAR-default}}
 * (unset) in a string value from Sentinel's environment, as docker compose does; {@code $$} is a
 * literal {@code $}. A {@code $} before anything else is kept, so {@code sh -c 'echo $HOME'}
 * reaches the shell unchanged. Defaults are literal text (no nesting). Inside a program,
 * {@code ${INSTANCE}} is the instance number, whatever the environment says.
 */
final class Interpolator {

    static final String INSTANCE = "INSTANCE";

    private final Map<String, String> environment;
    private final String instance;

    /** @param instance the instance number for {@code ${INSTANCE}}, or null outside a program */
    Interpolator(Map<String, String> environment, String instance) {
        this.environment = environment;
        this.instance = instance;
    }

    Interpolator forInstance(int number) {
        return new Interpolator(environment, Integer.toString(number));
    }

    /** The text with every reference expanded; throws IllegalArgumentException with one sentence. */
    String expand(String text) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 == text.length()) {
                out.append(c);
                i++;
            } else if (text.charAt(i + 1) == '$') {
                out.append('$');
                i += 2;
            } else if (text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("'" + text.substring(i) + "' has no closing brace; write "
                            + "${VAR} or ${VAR:-default}, or $$ for a literal $.");
                }
                out.append(reference(text.substring(i + 2, close)));
                i = close + 1;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private String reference(String inside) {
        int end = 0;
        while (end < inside.length() && isNameChar(inside.charAt(end), end == 0)) {
            end++;
        }
        String name = inside.substring(0, end);
        String rest = inside.substring(end);
        boolean orEmpty = rest.startsWith(":-");
        if (name.isEmpty() || !(rest.isEmpty() || orEmpty || rest.startsWith("-"))) {
            throw new IllegalArgumentException("'${" + inside + "}' is not a variable reference; write ${VAR}, "
                    + "${VAR:-default} or ${VAR-default} with a name of letters, digits and '_', or $$ for a "
                    + "literal $.");
        }
        String value = lookup(name);
        if (rest.isEmpty()) {
            if (value == null) {
                throw new IllegalArgumentException("${" + name + "} is not set; set " + name
                        + " in Sentinel's environment, or give a default: ${" + name + ":-value}.");
            }
            return value;
        }
        String fallback = rest.substring(orEmpty ? 2 : 1);
        return value == null || orEmpty && value.isEmpty() ? fallback : value;
    }

    private String lookup(String name) {
        if (instance != null && name.equals(INSTANCE)) {
            return instance;
        }
        return environment.get(name);
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || !first && c >= '0' && c <= '9';
    }
}
