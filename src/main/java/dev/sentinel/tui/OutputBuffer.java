package dev.sentinel.tui;

import java.util.ArrayList;
import java.util.List;

/**
 * The last lines the child printed, for the output pane: a fixed ring, so a child that floods
 * its output costs a bounded amount of memory. Written by the two pump threads (and Sentinel's
 * own redirected stdout/stderr), read by the dashboard thread; every method is short and
 * synchronized, and nothing here ever waits for the terminal.
 */
final class OutputBuffer {

    private final OutputLine[] ring;
    private int head;
    private int size;
    private long total;

    OutputBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.ring = new OutputLine[capacity];
    }

    /** Sanitises {@code raw} and keeps it, dropping the oldest line when full. */
    void add(OutputLine.Source source, String raw) {
        OutputLine line = new OutputLine(source, TextSanitizer.clean(raw));
        synchronized (this) {
            ring[head] = line;
            head = (head + 1) % ring.length;
            size = Math.min(size + 1, ring.length);
            total++;
        }
    }

    /** How many lines are kept now (at most the capacity). */
    synchronized int size() {
        return size;
    }

    /** How many lines were ever added, including those dropped since. */
    synchronized long total() {
        return total;
    }

    /**
     * Up to {@code count} lines, oldest first, ending {@code skip} lines before the newest (the
     * pane scrolled up by {@code skip}).
     */
    synchronized List<OutputLine> window(int count, int skip) {
        int s = Math.max(0, Math.min(skip, size));
        int n = Math.max(0, Math.min(count, size - s));
        List<OutputLine> out = new ArrayList<>(n);
        for (int i = n; i >= 1; i--) {
            int idx = Math.floorMod(head - s - i, ring.length);
            out.add(ring[idx]);
        }
        return out;
    }
}
