package dev.sentinel.tui;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The last lines a program printed, for the output pane: a ring bounded by a number of lines and
 * by an estimate of their memory, so a program that floods its output (or prints 4,000-character
 * lines) costs a bounded amount. The memory budget can shrink while it runs (more programs share
 * the dashboard's). Written by the pump threads (and Sentinel's own redirected stdout/stderr),
 * read by the dashboard thread; every method is short and synchronized, and nothing here ever
 * waits for the terminal.
 */
final class OutputBuffer implements OutputView {

    /** What a line costs beside its characters: the line, the string and its array. */
    static final int LINE_OVERHEAD_BYTES = 64;

    private final OutputLine[] ring;
    /** The order of each line among all buffers that share a sequence (for merging two of them). */
    private final long[] order;
    private final AtomicLong sequence;
    private int head;
    private int size;
    private long total;
    private long bytes;
    private long budgetBytes;

    OutputBuffer(int capacity) {
        this(capacity, Long.MAX_VALUE, new AtomicLong());
    }

    /** {@code sequence} numbers the lines of every buffer that shares it, so their lines can be merged in order. */
    OutputBuffer(int capacity, long budgetBytes, AtomicLong sequence) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.ring = new OutputLine[capacity];
        this.order = new long[capacity];
        this.sequence = sequence;
        this.budgetBytes = budgetBytes;
    }

    /** Roughly the heap a line of {@code text} takes (two bytes a character, as the worst case). */
    static long cost(String text) {
        return LINE_OVERHEAD_BYTES + 2L * text.length();
    }

    /** Sanitises {@code raw} and keeps it, dropping the oldest lines to stay within the bounds. */
    void add(OutputLine.Source source, String raw) {
        OutputLine line = new OutputLine(source, TextSanitizer.clean(raw));
        long cost = cost(line.text());
        synchronized (this) {
            while (size > 0 && (size == ring.length || bytes + cost > budgetBytes)) {
                dropOldest();
            }
            ring[head] = line;
            order[head] = sequence.incrementAndGet();
            head = (head + 1) % ring.length;
            size++;
            total++;
            bytes += cost;
        }
    }

    /** A new memory budget; the oldest lines go at once if the kept ones exceed it. */
    synchronized void budget(long budgetBytes) {
        this.budgetBytes = budgetBytes;
        while (size > 1 && bytes > budgetBytes) {
            dropOldest();
        }
    }

    /** The estimated heap the kept lines take. */
    synchronized long bytes() {
        return bytes;
    }

    private void dropOldest() {
        int oldest = Math.floorMod(head - size, ring.length);
        bytes -= cost(ring[oldest].text());
        ring[oldest] = null;
        size--;
    }

    @Override
    public synchronized int size() {
        return size;
    }

    @Override
    public synchronized long total() {
        return total;
    }

    @Override
    public synchronized List<OutputLine> window(int count, int skip) {
        int s = Math.max(0, Math.min(skip, size));
        int n = Math.max(0, Math.min(count, size - s));
        List<OutputLine> out = new ArrayList<>(n);
        for (int i = n; i >= 1; i--) {
            out.add(ring[Math.floorMod(head - s - i, ring.length)]);
        }
        return out;
    }

    /** A line with its place in the shared sequence. */
    record Numbered(long order, OutputLine line) {
    }

    /** The newest {@code count} lines with their order, oldest first. */
    synchronized List<Numbered> newest(int count) {
        int n = Math.max(0, Math.min(count, size));
        List<Numbered> out = new ArrayList<>(n);
        for (int i = n; i >= 1; i--) {
            int idx = Math.floorMod(head - i, ring.length);
            out.add(new Numbered(order[idx], ring[idx]));
        }
        return out;
    }
}
