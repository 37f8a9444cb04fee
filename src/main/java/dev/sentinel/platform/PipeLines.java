package dev.sentinel.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits what a program writes to a pipe into lines, holding at most {@value #MAX_LINE_BYTES}
 * bytes of one line: a program that writes a gigabyte without a newline costs 64 KiB, not a
 * gigabyte. A longer line is handed over at the cap, at a UTF-8 character boundary, ending with
 * {@link #CUT_MARK}; the rest of it, up to its newline, is dropped.
 *
 * <p>A line ends at LF, CR LF or a lone CR (as {@link java.io.BufferedReader#readLine()} has it),
 * so a progress bar redrawn with CR gives one line per redraw instead of overwriting a prefix. A
 * last line without a newline is handed over when the pipe closes. Bytes that are not UTF-8
 * become U+FFFD.
 *
 * <p>The one splitter for both ways Sentinel reads a pipe: {@link #read} drains a blocking stream
 * (the pump threads of the fallback), {@link #accept} takes the chunks the poll reader reads, and
 * {@link #finish} ends the pipe. Splitting does not depend on where the chunks are cut. Not
 * thread-safe: one pipe, one reader.
 */
final class PipeLines {

    static final int MAX_LINE_BYTES = 64 * 1024;
    static final String CUT_MARK = " [sentinel: line cut at 64 KiB]";
    private static final int READ_BYTES = 8 * 1024;
    private static final int FIRST_LINE_BYTES = 256;

    private final Consumer<String> lines;
    private byte[] line = new byte[FIRST_LINE_BYTES];
    private int length;
    /** After a cut: dropping up to the line's end. */
    private boolean skipping;
    /** The last byte was CR: an LF right after it ends nothing. */
    private boolean afterCr;

    /** @param lines given each line, on the thread that calls {@link #accept} and {@link #finish} */
    PipeLines(Consumer<String> lines) {
        this.lines = lines;
    }

    /** Reads {@code in} to its end, handing each line to {@code lines}; returns when the pipe closes. */
    static void read(InputStream in, Consumer<String> lines) throws IOException {
        PipeLines p = new PipeLines(lines);
        byte[] buf = new byte[READ_BYTES];
        int n;
        while ((n = in.read(buf)) >= 0) {
            p.accept(buf, n);
        }
        p.finish();
    }

    /** Takes the next {@code n} bytes the pipe carried, from {@code buf[0]}, handing over every line they end. */
    void accept(byte[] buf, int n) {
        int i = 0;
        if (afterCr && n > 0) {
            afterCr = false;
            if (buf[0] == '\n') {
                i = 1;
            }
        }
        while (i < n) {
            int eol = i;
            while (eol < n && buf[eol] != '\n' && buf[eol] != '\r') {
                eol++;
            }
            add(buf, i, eol - i);
            if (eol == n) {
                return;
            }
            endLine();
            if (buf[eol] == '\r') {
                if (eol + 1 == n) {
                    afterCr = true;
                } else if (buf[eol + 1] == '\n') {
                    eol++;
                }
            }
            i = eol + 1;
        }
    }

    private void add(byte[] buf, int from, int count) {
        if (skipping || count == 0) {
            return;
        }
        int room = MAX_LINE_BYTES - length;
        if (count <= room) {
            append(buf, from, count);
            return;
        }
        append(buf, from, room);
        cut(buf[from + room]);
    }

    private void append(byte[] buf, int from, int count) {
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(length + count, line.length * 2)));
        }
        System.arraycopy(buf, from, line, length, count);
        length += count;
    }

    /** The line is full and {@code next} did not fit: hand over what fits, without half a character. */
    private void cut(byte next) {
        int end = length;
        if (isContinuation(next)) {
            // A character that goes on past the cap began at most 3 bytes back: drop its first bytes
            // too. Continuation bytes that belong to no character (binary output) stay, as U+FFFD:
            // walking back over all of them dropped a whole line of such bytes, said as a cut at 64 KiB.
            for (int back = 1; back <= 3 && back <= length; back++) {
                byte b = line[length - back];
                if (!isContinuation(b)) {
                    if (sequenceLength(b) > back) {
                        end = length - back;
                    }
                    break;
                }
            }
        }
        lines.accept(new String(line, 0, end, StandardCharsets.UTF_8) + CUT_MARK);
        skipping = true;
        reset();
    }

    /** How many bytes the UTF-8 sequence that {@code lead} begins has (1 for a byte that begins none). */
    private static int sequenceLength(byte lead) {
        if ((lead & 0xE0) == 0xC0) {
            return 2;
        }
        if ((lead & 0xF0) == 0xE0) {
            return 3;
        }
        return (lead & 0xF8) == 0xF0 ? 4 : 1;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    private void endLine() {
        if (!skipping) {
            lines.accept(new String(line, 0, length, StandardCharsets.UTF_8));
        }
        skipping = false;
        reset();
    }

    /** The pipe closed: hands over its last line if it had no line end. */
    void finish() {
        if (length > 0 && !skipping) {
            lines.accept(new String(line, 0, length, StandardCharsets.UTF_8));
        }
        skipping = false;
        afterCr = false;
        reset();
    }

    private void reset() {
        length = 0;
        if (line.length > READ_BYTES) {
            // One long line should not keep 64 KiB per pipe for the rest of the run.
            line = new byte[FIRST_LINE_BYTES];
        }
    }
}
