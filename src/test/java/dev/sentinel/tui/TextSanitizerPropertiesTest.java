package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A program's output on the dashboard: whatever it prints — escape sequences, control bytes,
 * invalid UTF-8 decoded to U+FFFD, lines far longer than a pane — comes out as text that cannot
 * move the cursor or change the screen, of bounded length.
 */
class TextSanitizerPropertiesTest {

    @Provide
    Arbitrary<String> output() {
        Arbitrary<String> pieces = Arbitraries.oneOf(
                Arbitraries.of("\u001b[2J", "\u001b[H", "\u001b]0;title\u0007", "\u001b]8;;http://x\u001b\\",
                        "\u001bP1$r\u001b\\", "\u001b[?1049h", "\u009b31m", "\u001b", "\r", "\b", "\t", "\u0000",
                        "\ufffd", "\ud83d\ude00", "\ud83d", "\u0301", "\u200b", "\u007f", "\u0085"),
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().all().ofMaxLength(20));
        return Arbitraries.oneOf(pieces.list().ofMaxSize(30).map(l -> String.join("", l)),
                Arbitraries.strings().all().ofMinLength(4000).ofMaxLength(9000));
    }

    @Property(seed = "20261207")
    void nothingThatMovesTheCursorOrChangesTheScreenSurvives(@ForAll("output") String raw) {
        String clean = TextSanitizer.clean(raw);
        for (int i = 0; i < clean.length(); i++) {
            char c = clean.charAt(i);
            assertTrue(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0), "control char " + (int) c + " in " + clean);
            assertTrue(!Character.isSurrogate(c), "a surrogate half at " + i);
        }
        // Tabs widen to at most 8 columns each: bounded by what is read of the line.
        assertTrue(clean.length() <= TextSanitizer.MAX_INPUT * 8, "length " + clean.length());
        assertEquals(clean, TextSanitizer.clean(clean), "cleaning twice changes nothing");
    }
}
