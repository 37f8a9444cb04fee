package dev.sentinel.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command string into words the way a POSIX shell does, and nothing more: blanks
 * separate words, single quotes keep everything literal, double quotes keep blanks (a backslash
 * there escapes only {@code " \ $ `} and a newline), a backslash outside quotes escapes any
 * character. No expansion, globbing, pipes or redirections: {@code |} and {@code *} are
 * ordinary characters, so a pipeline needs {@code ["sh", "-c", "..."]}.
 */
final class ShellWords {

    private ShellWords() {
    }

    /** The words; throws IllegalArgumentException with one sentence for an unclosed quote. */
    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                int close = text.indexOf('\'', i + 1);
                if (close < 0) {
                    throw unclosed("single", text);
                }
                word.append(text, i + 1, close);
                inWord = true;
                i = close + 1;
            } else if (c == '"') {
                i = doubleQuoted(text, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 < text.length() && text.charAt(i + 1) != '\n') {
                    word.append(text.charAt(i + 1));
                    inWord = true;
                } else if (i + 1 == text.length()) {
                    throw new IllegalArgumentException("the command ends with a lone backslash; write \\\\ for a "
                            + "backslash.");
                }
                i += 2; // a backslash-newline joins lines, as in a shell
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Appends a double-quoted part starting at {@code from} (after the quote); returns the index after its end. */
    private static int doubleQuoted(String text, int from, StringBuilder word) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < text.length() && "\"\\$`\n".indexOf(text.charAt(i + 1)) >= 0) {
                if (text.charAt(i + 1) != '\n') {
                    word.append(text.charAt(i + 1));
                }
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw unclosed("double", text);
    }

    private static IllegalArgumentException unclosed(String kind, String text) {
        return new IllegalArgumentException("the command " + quoted(text) + " has an unclosed " + kind
                + " quote; close it, or give the command as an array of words.");
    }

    private static String quoted(String text) {
        return "'" + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "'";
    }
}
