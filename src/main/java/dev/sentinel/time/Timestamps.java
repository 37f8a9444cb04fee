package dev.sentinel.time;

/**
 * ISO-8601 timestamps with milliseconds and the UTC offset, {@code 2026-12-01T19:36:40.123+01:00},
 * written by hand from an epoch and an offset so that no JDK time-zone data is loaded (see
 * {@link UtcOffset}). Pure.
 */
public final class Timestamps {

    private Timestamps() {
    }

    /** {@code epochMillis} as local date and time with milliseconds and the offset in force then. */
    public static String iso(long epochMillis, UtcOffset zone) {
        long second = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        int offset = zone.secondsAt(second);
        long local = second + offset;
        long days = Math.floorDiv(local, 86_400L);
        int secondOfDay = (int) Math.floorMod(local, 86_400L);
        long[] ymd = civilFromDays(days);
        StringBuilder b = new StringBuilder(29);
        pad(b, ymd[0], 4).append('-');
        pad(b, ymd[1], 2).append('-');
        pad(b, ymd[2], 2).append('T');
        pad(b, secondOfDay / 3600, 2).append(':');
        pad(b, secondOfDay / 60 % 60, 2).append(':');
        pad(b, secondOfDay % 60, 2).append('.');
        pad(b, millis, 3);
        int abs = Math.abs(offset);
        b.append(offset < 0 ? '-' : '+');
        pad(b, abs / 3600, 2).append(':');
        pad(b, abs / 60 % 60, 2);
        return b.toString();
    }

    /**
     * Days since 1970-01-01 of a proleptic Gregorian date (month 1-12), after Howard Hinnant's
     * {@code days_from_civil}.
     */
    public static long daysFromCivil(long year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /** The date {@code days} after 1970-01-01 as {year, month 1-12, day}: the inverse of {@link #daysFromCivil}. */
    static long[] civilFromDays(long days) {
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long day = doy - (153 * mp + 2) / 5 + 1;
        long month = mp < 10 ? mp + 3 : mp - 9;
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        return new long[] {year, month, day};
    }

    private static StringBuilder pad(StringBuilder b, long value, int width) {
        String s = Long.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }
}
