package dev.sentinel.platform;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A sink that keeps, per stream, every call it got in order ({@code begin}, each line, {@code end}),
 * or with {@code keepLines} false only counts the lines (a flood). Thread-safe; never blocks for long.
 */
final class RecordingSink implements OutputSink {

    private final boolean keepLines;
    private final Map<Stream, List<String>> lines = new EnumMap<>(Stream.class);
    private final Map<Stream, Integer> begins = new EnumMap<>(Stream.class);
    private final Map<Stream, Integer> ends = new EnumMap<>(Stream.class);
    private final Map<Stream, Long> counts = new EnumMap<>(Stream.class);
    private final List<String> problems = new ArrayList<>();
    private final List<String> threads = new ArrayList<>();

    RecordingSink() {
        this(true);
    }

    RecordingSink(boolean keepLines) {
        this.keepLines = keepLines;
        for (Stream s : Stream.values()) {
            lines.put(s, new ArrayList<>());
            begins.put(s, 0);
            ends.put(s, 0);
            counts.put(s, 0L);
        }
    }

    @Override
    public synchronized void begin(Stream stream) {
        begins.merge(stream, 1, Integer::sum);
    }

    @Override
    public synchronized void line(Stream stream, String text) {
        if (begins.get(stream) == 0) {
            problems.add("a line before begin on " + stream + ": " + text);
        }
        if (ends.get(stream) > 0) {
            problems.add("a line after end on " + stream + ": " + text);
        }
        counts.merge(stream, 1L, Long::sum);
        if (keepLines) {
            lines.get(stream).add(text);
        }
        String t = Thread.currentThread().getName();
        if (!threads.contains(t)) {
            threads.add(t);
        }
    }

    @Override
    public synchronized void end(Stream stream) {
        if (begins.get(stream) == 0) {
            problems.add("end before begin on " + stream);
        }
        ends.merge(stream, 1, Integer::sum);
    }

    synchronized List<String> lines(Stream stream) {
        return List.copyOf(lines.get(stream));
    }

    synchronized long count(Stream stream) {
        return counts.get(stream);
    }

    synchronized int begins(Stream stream) {
        return begins.get(stream);
    }

    synchronized int ends(Stream stream) {
        return ends.get(stream);
    }

    /** Both streams have ended. */
    synchronized boolean ended() {
        return ends.get(Stream.STDOUT) > 0 && ends.get(Stream.STDERR) > 0;
    }

    /** Calls out of order (a line before begin or after end, an end before begin). */
    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** The names of the threads lines came on. */
    synchronized List<String> threads() {
        return List.copyOf(threads);
    }

    @Override
    public synchronized String toString() {
        return "begins " + begins + ", ends " + ends + ", lines " + counts;
    }
}
