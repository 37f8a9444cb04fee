package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TextSanitizerTest {

    @Test
    void plainTextIsKept() {
        assertEquals("leaker pid=12 rss=40.1 MiB — ok ü 日本", TextSanitizer.clean("leaker pid=12 rss=40.1 MiB — ok ü 日本"));
    }

    @Test
    void colourAndCursorSequencesAreRemoved() {
        assertEquals("red bold moved", TextSanitizer.clean("\u001b[31mred\u001b[0m \u001b[1;4mbold\u001b[m \u001b[10;20Hmoved"));
        assertEquals("cleared", TextSanitizer.clean("\u001b[2J\u001b[?1049lcleared"));
        assertEquals("x", TextSanitizer.clean("\u009b31mx"));
    }

    @Test
    void titleAndOtherStringSequencesAreRemoved() {
        assertEquals("before after", TextSanitizer.clean("before \u001b]0;window title\u0007after"));
        assertEquals("a b", TextSanitizer.clean("a \u001b]8;;http://x\u001b\\b"));
        assertEquals("ok", TextSanitizer.clean("\u001bPq#0;2;0;0;0\u001b\\ok"));
        assertEquals("charset", TextSanitizer.clean("\u001b(Bcharset\u001b7\u001b8"));
    }

    @Test
    void tabsBecomeSpacesToTheNextStop() {
        assertEquals("a       b", TextSanitizer.clean("a\tb"));
        assertEquals("12345678        x", TextSanitizer.clean("12345678\tx"));
    }

    @Test
    void carriageReturnKeepsWhatWasPrintedLast() {
        assertEquals("100%", TextSanitizer.clean("10%\r50%\r100%"));
        assertEquals("windows line", TextSanitizer.clean("windows line\r"));
    }

    @Test
    void controlCharactersAreDroppedAndBackspaceErases() {
        assertEquals("abc", TextSanitizer.clean("a\u0007b\u0000c\u007f\u0085"));
        assertEquals("abX", TextSanitizer.clean("abc\bX"));
    }

    @Test
    void charactersOfUncertainWidthAreReplacedOrDropped() {
        assertEquals("smile \ufffd!", TextSanitizer.clean("smile \ud83d\ude00!"));
        assertEquals("e", TextSanitizer.clean("e\u0301"), "combining accent dropped");
        assertEquals("ab", TextSanitizer.clean("a\u200bb"), "zero-width space dropped");
    }

    @Test
    void endlessLinesAreCut() {
        String cleaned = TextSanitizer.clean("x".repeat(100_000));
        assertEquals(TextSanitizer.MAX_INPUT, cleaned.length());
        assertTrue(TextSanitizer.clean("\u001b[").isEmpty(), "an unfinished sequence is dropped");
        assertEquals("", TextSanitizer.clean(null));
    }
}
