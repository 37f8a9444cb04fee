package dev.sentinel.output;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a {@link LineDrain} writes: it buffers lines and pushes them out at the end of a batch.
 * Called on the drain's thread only. A destination deals with its own write errors; the drain goes
 * on taking lines either way, so that memory is given back.
 */
interface LineDestination {

    /** One line, ready to write, its newline included. */
    void line(byte[] line);

    /** {@code count} lines of {@code program} were dropped at this point. */
    void dropped(String program, long count);

    /** Hands the buffered lines to the OS (one write where it can). */
    void endBatch();

    /** After the last batch, on the drain's thread. */
    default void close() {
    }

    /** "1 line", "1234 lines". */
    static String lines(long count) {
        return count + (count == 1 ? " line" : " lines");
    }

    /** {@code head} then {@code text} in UTF-8, then a newline, in one array. */
    static byte[] encode(byte[] head, String text) {
        byte[] t = text.getBytes(StandardCharsets.UTF_8);
        byte[] line = Arrays.copyOf(head, head.length + t.length + 1);
        System.arraycopy(t, 0, line, head.length, t.length);
        line[line.length - 1] = '\n';
        return line;
    }
}
