package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentinel.text.ByteSize;
import dev.sentinel.text.Durations;
import dev.sentinel.settings.MemoryLimit;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The dashboard's own number formats write what the core's (and String.format) write. */
class FmtTest {

    private final Random random = new Random(42);

    @Test
    void bytesAreWrittenAsByteSizeWritesThem() {
        long[] edges = {0, 1, 1023, 1024, 1025, 1536, 10 * 1024 * 1024, 56L << 20, (56L << 20) + 1, 1L << 30,
            (3L << 30) / 2, 1L << 40, Long.MAX_VALUE / 2};
        for (long b : edges) {
            assertEquals(ByteSize.format(b), Fmt.bytes(b), "bytes " + b);
        }
        for (int i = 0; i < 20_000; i++) {
            long b = (long) Math.pow(2, random.nextDouble() * 42);
            assertEquals(ByteSize.format(b), Fmt.bytes(b), "bytes " + b);
        }
        assertEquals("0 B", Fmt.bytes(-5));
    }

    @Test
    void limitsAreWrittenAsMemoryLimitWritesThem() {
        for (MemoryLimit l : new MemoryLimit[] {MemoryLimit.NONE, new MemoryLimit(300L << 20),
            new MemoryLimit((330L << 20) + 12345)}) {
            assertEquals(l.toString(), Fmt.limit(l));
        }
    }

    @Test
    void durationsAreWrittenAsDurationsWritesThem() {
        for (int i = 0; i < 20_000; i++) {
            long ms = (long) Math.pow(10, random.nextDouble() * 7.5);
            assertEquals(Durations.formatWholeSeconds(ms), Fmt.duration(ms), ms + " ms");
            assertEquals(Durations.format(Duration.ofMillis(ms)), Fmt.duration(Duration.ofMillis(ms)), ms + " ms");
        }
        for (long ms : new long[] {0, 999, 1000, 1500, 59_999, 60_000, 61_000, 3_599_999, 3_600_000, 3_660_000}) {
            assertEquals(Durations.formatWholeSeconds(ms), Fmt.duration(ms), ms + " ms");
            assertEquals(Durations.format(Duration.ofMillis(ms)), Fmt.duration(Duration.ofMillis(ms)), ms + " ms");
        }
    }

    @Test
    void oneDecimalIsWhatPercentOneFWrites() {
        for (double v : new double[] {0, 0.04, 0.05, 0.25, 0.95, 9.95, 25, 56.0, 99.99, -0.04, -0.3, -12.34, 1e6}) {
            assertEquals(String.format(Locale.ROOT, "%.1f", v), Fmt.oneDecimal(v), "value " + v);
        }
        for (int i = 0; i < 20_000; i++) {
            // Two decimals, as RSS percentages and CPU shares come: no value sits on a tie.
            double v = Math.round((random.nextDouble() * 2000 - 1000) * 100) / 100.0 + 0.001;
            assertEquals(String.format(Locale.ROOT, "%.1f", v), Fmt.oneDecimal(v), "value " + v);
        }
        assertEquals("NaN", Fmt.oneDecimal(Double.NaN));
    }

    @Test
    void growthAndPercentKeepTheirSignsAndUnits() {
        double mib = 1024 * 1024;
        assertEquals("+5.0 MiB/min", Fmt.growth(5 * mib / 60));
        assertEquals("+0.0 MiB/min", Fmt.growth(0));
        assertEquals("-0.1 MiB/min", Fmt.growth(-0.1 * mib / 60));
        assertEquals(String.format(Locale.ROOT, "%+.1f MiB/min", 360.0), Fmt.growth(360 * mib / 60));
        assertEquals("56.0%", Fmt.percent(56));
    }

    @Test
    void columnsAreCountedAsLanternaCountsThem() {
        for (String t : new String[] {"", "web-1", "naïve ±5 MiB", "日本語 app", "한글", "mixed 漢字 and ascii", "\u10ff\u1100"}) {
            assertEquals(com.googlecode.lanterna.TerminalTextUtils.getColumnWidth(t), Fmt.columns(t), t);
        }
        assertEquals("日本…", Fmt.fit("日本語 app", 5));
        assertEquals("web-1   ", Fmt.left("web-1", 8));
        assertEquals("日本語 ", Fmt.left("日本語", 7));
    }
}
