package dev.sentinel.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * Sizes and durations, the words every limit and timer is written in: any text gives a value or
 * one sentence naming it, never another exception; what Sentinel prints reads back as (about) the
 * same; a number too large is an error, never a wrapped value.
 */
class SizesAndDurationsPropertiesTest {

    @Provide
    Arbitrary<String> sizeLike() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf), Arbitraries.strings().numeric().ofMaxLength(30));
        Arbitrary<String> unit = Arbitraries.of("", "k", "M", "g", "T", "P", "KiB", "mib", "ib", "B", "%", " ", "e9");
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                net.jqwik.api.Combinators.combine(number, unit).as((n, u) -> n + u));
    }

    @Property(seed = "20261207")
    void anyTextIsASizeOrOneSentence(@ForAll("sizeLike") String text) {
        try {
            long bytes = ByteSize.parse(text);
            assertTrue(bytes >= 1 && bytes <= Long.MAX_VALUE / 2, text + " -> " + bytes);
        } catch (IllegalArgumentException e) {
            oneSentenceNaming(e.getMessage(), text);
        }
    }

    @Property(seed = "20261207")
    void bytesReadBackExactly(@ForAll @LongRange(min = 1, max = Long.MAX_VALUE / 2) long bytes) {
        assertEquals(bytes, ByteSize.parse(Long.toString(bytes)));
    }

    /** format rounds to a tenth of its unit: parsing it back lands within that rounding. */
    @Property(seed = "20261207")
    void aPrintedSizeReadsBackWithinItsRounding(@ForAll @LongRange(min = 1, max = 1L << 50) long bytes) {
        String shown = ByteSize.format(bytes).replace(" ", "");
        long back = ByteSize.parse(shown);
        assertTrue(Math.abs(back - bytes) <= Math.max(1, bytes * 0.05), shown + " read back as " + back + ", was " + bytes);
    }

    @Property(seed = "20261207")
    void aHugeSizeIsAnErrorNotAWrap(@ForAll @LongRange(min = 9, max = 1000) long digits) {
        String text = "9".repeat((int) digits) + "T";
        try {
            long bytes = ByteSize.parse(text);
            assertTrue(bytes > 0, text + " wrapped to " + bytes);
        } catch (IllegalArgumentException e) {
            oneSentenceNaming(e.getMessage(), text);
        }
    }

    @Provide
    Arbitrary<String> durationLike() {
        Arbitrary<String> number = Arbitraries.oneOf(Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf), Arbitraries.strings().numeric().ofMaxLength(30));
        Arbitrary<String> unit = Arbitraries.of("", "s", "ms", "m", "h", "d", "us", "S", " s", "sec", "-");
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                net.jqwik.api.Combinators.combine(number, unit).as((n, u) -> n + u));
    }

    @Property(seed = "20261207")
    void anyTextIsADurationOrOneSentence(@ForAll("durationLike") String text) {
        try {
            Duration d = Durations.parse(text);
            assertFalse(d.isNegative(), text + " -> " + d);
        } catch (IllegalArgumentException e) {
            oneSentenceNaming(e.getMessage(), text);
        }
    }

    @Property(seed = "20261207")
    void millisecondsReadBackExactly(@ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long ms) {
        assertEquals(Duration.ofMillis(ms), Durations.parse(ms + "ms"));
    }

    /** format shows at most a tenth of a second under a minute, whole seconds or minutes above. */
    @Property(seed = "20261207")
    void aPrintedDurationReadsBackWithinItsRounding(@ForAll @LongRange(min = 0, max = 59_999) long ms) {
        String shown = Durations.format(Duration.ofMillis(ms));
        long back = Durations.parse(shown).toMillis();
        assertTrue(Math.abs(back - ms) <= 50, shown + " read back as " + back + " ms, was " + ms);
    }

    private static void oneSentenceNaming(String message, String text) {
        assertTrue(message != null && !message.isBlank(), "no sentence for " + text);
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.endsWith("."), "a sentence: " + message);
        assertTrue(message.startsWith("'" + text + "'"), "names what was written: " + message);
    }
}
