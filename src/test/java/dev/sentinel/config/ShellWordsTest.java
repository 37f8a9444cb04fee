package dev.sentinel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void blanksSeparateWords() {
        assertEquals(List.of("python3", "-m", "http.server", "8080"), ShellWords.split("  python3 -m\thttp.server\n8080 "));
    }

    @Test
    void singleQuotesKeepEverythingLiteral() {
        assertEquals(List.of("sh", "-c", "echo \"$HOME\" \\n; ls *"), ShellWords.split("sh -c 'echo \"$HOME\" \\n; ls *'"));
    }

    @Test
    void doubleQuotesKeepBlanksAndEscapeOnlyTheShellsFour() {
        assertEquals(List.of("say", "a \"quoted\" $word \\n"), ShellWords.split("say \"a \\\"quoted\\\" \\$word \\n\""));
    }

    @Test
    void aBackslashOutsideQuotesEscapesAnyCharacter() {
        assertEquals(List.of("my file", "a'b", "c\"d"), ShellWords.split("my\\ file a\\'b c\\\"d"));
    }

    @Test
    void aBackslashNewlineJoinsLines() {
        assertEquals(List.of("run", "--fast"), ShellWords.split("run \\\n--fast"));
    }

    @Test
    void quotedPartsNextToEachOtherAreOneWord() {
        assertEquals(List.of("--name=a b", "xy"), ShellWords.split("--name='a b' \"x\"'y'"));
    }

    @Test
    void emptyQuotesAreAnEmptyWord() {
        assertEquals(List.of("printf", "", "x"), ShellWords.split("printf '' x"));
    }

    @Test
    void nothingIsExpandedAndOperatorsAreOrdinaryCharacters() {
        assertEquals(List.of("echo", "$HOME", "~", "*.log", "|", "wc", ";", "a&&b"),
                ShellWords.split("echo $HOME ~ *.log | wc ; a&&b"));
    }

    @Test
    void aBlankStringHasNoWords() {
        assertEquals(List.of(), ShellWords.split(" \t "));
    }

    @Test
    void unclosedQuotesAndATrailingBackslashAreErrors() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShellWords.split("echo 'hi"))
                .getMessage().contains("unclosed single quote"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShellWords.split("echo \"hi"))
                .getMessage().contains("unclosed double quote"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ShellWords.split("echo \\"))
                .getMessage().contains("lone backslash"));
    }
}
