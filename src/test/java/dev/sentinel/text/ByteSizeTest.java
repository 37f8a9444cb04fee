package dev.sentinel.text;

import dev.sentinel.settings.MemoryLimit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @ParameterizedTest
    @CsvSource({
        "512M, 536870912",
        "1.5G, 1610612736",
        "200MiB, 209715200",
        "300m, 314572800",
        "1048576, 1048576",
        "64k, 65536",
        "2KB, 2048",
        "1T, 1099511627776",
        "' 10M ', 10485760",
        "0.5M, 524288",
    })
    void parsesTheFormsUsersWrite(String text, long bytes) {
        assertEquals(bytes, ByteSize.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12XB", "", "M", "-5M", "1.5.5G", "ten", "5 MB extra", "0", "iB"})
    void rejectsWithOneSentenceNamingTheValue(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSize.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("512M"), "names the accepted forms: " + e.getMessage());
    }

    @Test
    void formatsForPeople() {
        assertEquals("512 MiB", ByteSize.format(512L << 20));
        assertEquals("1.5 GiB", ByteSize.format(3L << 29));
        assertEquals("999 B", ByteSize.format(999));
        assertEquals("1 KiB", ByteSize.format(1024));
    }

    @Test
    void memoryLimitAcceptsNone() {
        assertFalse(MemoryLimit.parse("none").isSet());
        assertFalse(MemoryLimit.parse("NONE").isExceededBy(Long.MAX_VALUE));
        assertTrue(MemoryLimit.parse("1M").isExceededBy((1 << 20) + 1));
        assertFalse(MemoryLimit.parse("1M").isExceededBy(1 << 20));
        assertEquals("none", MemoryLimit.NONE.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryLimit.parse("lots"));
        assertTrue(e.getMessage().contains("none"), e.getMessage());
    }
}
