package dev.sentinel.tui;

/**
 * The tree's RSS over time, for the memory chart: a fixed ring of (time, RSS) points. Points
 * closer than {@code spacingMillis} are merged keeping the higher RSS, because the chart is about
 * how close the tree came to its limit. Beside them, the times at which a new run started (the
 * chart marks each restart). Used by the dashboard thread only.
 */
final class RssHistory {

    /** A point this far before the last one is the wall clock stepping back, not a late snapshot. */
    static final long CLOCK_STEP_MILLIS = 10_000;

    /** Restart times kept: far more than a chart is wide. */
    static final int RESTARTS_KEPT = 512;

    private final long spacingMillis;
    private final long[] times;
    private final long[] values;
    private int head;
    private int size;
    private final long[] restarts = new long[RESTARTS_KEPT];
    private int restartHead;
    private int restartCount;

    RssHistory(int capacity, long spacingMillis) {
        this.spacingMillis = spacingMillis;
        this.times = new long[capacity];
        this.values = new long[capacity];
    }

    /** Notes that a new run of the program started at {@code epochMillis}. */
    void restartAt(long epochMillis) {
        restarts[restartHead] = epochMillis;
        restartHead = (restartHead + 1) % restarts.length;
        restartCount = Math.min(restartCount + 1, restarts.length);
    }

    int restarts() {
        return restartCount;
    }

    /**
     * For each of {@code columns} columns of {@code millisPerColumn}, the last one ending at
     * {@code nowMillis}: whether a run started in it. The slots are those of {@link #columns}; a
     * start a little after {@code nowMillis} (the loop's clock ahead of the dashboard's) is in the
     * last column.
     */
    boolean[] restartColumns(long nowMillis, int columns, long millisPerColumn) {
        boolean[] out = new boolean[Math.max(0, columns)];
        long start = nowMillis - columns * millisPerColumn;
        for (int i = 0; i < restartCount && columns > 0; i++) {
            long t = restarts[Math.floorMod(restartHead - 1 - i, restarts.length)];
            if (t > start) {
                out[(int) Math.min(columns - 1, (t - start - 1) / millisPerColumn)] = true;
            }
        }
        return out;
    }

    void record(long epochMillis, long rssBytes) {
        if (size > 0) {
            int last = Math.floorMod(head - 1, times.length);
            if (epochMillis < times[last]) {
                if (times[last] - epochMillis < CLOCK_STEP_MILLIS) {
                    return;
                }
                // The wall clock stepped back (NTP, or set by hand): points ahead of it would hold
                // the chart still until it caught up, an hour for an hour. Start again from here.
                size = 0;
                head = 0;
                restartCount = 0;
            } else if (epochMillis - times[last] < spacingMillis) {
                values[last] = Math.max(values[last], rssBytes);
                return;
            }
        }
        times[head] = epochMillis;
        values[head] = rssBytes;
        head = (head + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    int size() {
        return size;
    }

    /** The time of the oldest point, or -1 when empty. */
    long oldestMillis() {
        return size == 0 ? -1 : times[Math.floorMod(head - size, times.length)];
    }

    /**
     * The highest RSS per column for {@code columns} columns of {@code millisPerColumn} each, the
     * last one ending at {@code nowMillis}. A column before the first point is -1 (no data); a
     * column without a point of its own repeats the value before it (the tree did not vanish
     * because the dashboard looked away).
     */
    long[] columns(long nowMillis, int columns, long millisPerColumn) {
        long[] out = new long[Math.max(0, columns)];
        java.util.Arrays.fill(out, -1);
        if (columns <= 0 || size == 0) {
            return out;
        }
        long start = nowMillis - columns * millisPerColumn;
        long carry = -1;
        for (int i = 0; i < size; i++) {
            int idx = Math.floorMod(head - size + i, times.length);
            long t = times[idx];
            if (t <= start) {
                carry = values[idx];
                continue;
            }
            int col = (int) Math.min(columns - 1, (t - start - 1) / millisPerColumn);
            out[col] = Math.max(out[col], values[idx]);
        }
        long previous = carry;
        for (int c = 0; c < columns; c++) {
            if (out[c] >= 0) {
                previous = out[c];
            } else {
                out[c] = previous;
            }
        }
        return out;
    }
}
