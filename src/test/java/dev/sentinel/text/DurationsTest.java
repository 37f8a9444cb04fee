package dev.sentinel.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"3s, 3000", "500ms, 500", "2m, 120000", "1.5s, 1500", "3, 3000", "0, 0", "1h, 3600000", "0.25, 250"})
    void parsesTheFormsUsersWrite(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1s", "", "3 seconds", "s", "1d", "abc"})
    void rejectsWithOneSentenceNamingTheValue(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertTrue(e.getMessage().startsWith("'" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("500ms"), e.getMessage());
    }

    @Test
    void formatsForPeople() {
        assertEquals("3s", Durations.format(Duration.ofSeconds(3)));
        assertEquals("500ms", Durations.format(Duration.ofMillis(500)));
        assertEquals("1.5s", Durations.format(Duration.ofMillis(1500)));
        assertEquals("2m", Durations.format(Duration.ofMinutes(2)));
        assertEquals("2m05s", Durations.format(Duration.ofSeconds(125)));
        assertEquals("1h02m", Durations.format(Duration.ofMinutes(62)));
    }

    @Test
    void wholeSecondsKeepOneShapePerUnit() {
        assertEquals("0s", Durations.formatWholeSeconds(0));
        assertEquals("59s", Durations.formatWholeSeconds(59_999));
        assertEquals("1m00s", Durations.formatWholeSeconds(60_000));
        assertEquals("3h05m", Durations.formatWholeSeconds(11_100_000));
        assertEquals("0s", Durations.formatWholeSeconds(-5));
    }
}
