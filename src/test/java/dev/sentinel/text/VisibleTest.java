package dev.sentinel.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class VisibleTest {

    @Test
    void plainTextIsLeftAsItIs() {
        String text = "'512M' is not a memory limit; größe ✓";
        assertSame(text, Visible.escape(text));
    }

    @Test
    void controlCharactersAreShownAsEscapes() {
        assertEquals("'5\\nG\\e[2J' \\t\\r \\u0000\\u007f\\u0085\\u2028",
                Visible.escape("'5\nG\u001b[2J' \t\r \u0000\u007f\u0085\u2028"));
    }
}
