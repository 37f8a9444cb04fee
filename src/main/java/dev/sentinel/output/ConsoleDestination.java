package dev.sentinel.output;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;

/**
 * Lines to one of Sentinel's own streams. A batch is written under the stream's lock in one
 * call, so a line is never split by another writer of the same PrintStream (the lifecycle lines
 * on stderr).
 */
final class ConsoleDestination implements LineDestination {

    private static final int BATCH_BYTES = 64 * 1024;

    private final PrintStream out;
    private final String streamName;
    private final IntSupplier width;
    private final byte[] batch = new byte[BATCH_BYTES];
    private int length;

    /**
     * @param streamName "stdout" or "stderr", for the drop notice
     * @param width the width names are padded to now, for the drop notice
     */
    ConsoleDestination(PrintStream out, String streamName, IntSupplier width) {
        this.out = out;
        this.streamName = streamName;
        this.width = width;
    }

    /** {@code web    | } for width 6. */
    static String prefix(String program, int width) {
        StringBuilder b = new StringBuilder(Math.max(width, program.length()) + 3).append(program);
        for (int i = program.length(); i < width; i++) {
            b.append(' ');
        }
        return b.append(" | ").toString();
    }

    /** What a gap says: {@code [sentinel: dropped 12 lines: stdout could not keep up]}. */
    static String dropNotice(long count, String streamName) {
        return "[sentinel: dropped " + LineDestination.lines(count) + ": " + streamName + " could not keep up]";
    }

    @Override
    public void line(byte[] line) {
        if (line.length > batch.length - length) {
            endBatch();
            if (line.length > batch.length) {
                write(line, line.length);
                return;
            }
        }
        System.arraycopy(line, 0, batch, length, line.length);
        length += line.length;
    }

    @Override
    public void dropped(String program, long count) {
        line(LineDestination.encode(prefix(program, width.getAsInt()).getBytes(StandardCharsets.UTF_8),
                dropNotice(count, streamName)));
    }

    @Override
    public void endBatch() {
        if (length > 0) {
            write(batch, length);
            length = 0;
        }
    }

    private void write(byte[] bytes, int n) {
        // PrintStream never throws: a closed or broken stream (EPIPE) just loses the lines.
        synchronized (out) {
            out.write(bytes, 0, n);
            out.flush();
        }
    }
}
