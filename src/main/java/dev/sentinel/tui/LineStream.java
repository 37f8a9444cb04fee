package dev.sentinel.tui;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * An output stream that hands over complete lines: what Sentinel itself prints to stdout or
 * stderr (SLF4J warnings, for instance) while the dashboard owns the terminal goes to the output
 * pane instead of tearing the screen.
 */
final class LineStream extends OutputStream {

    private static final int MAX_LINE = 8192;

    private final Consumer<String> lines;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LineStream(Consumer<String> lines) {
        this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            emit();
        } else if (pending.size() < MAX_LINE) {
            pending.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void flush() {
        // Lines are handed over when complete; a partial line waits for its end.
    }

    @Override
    public synchronized void close() {
        if (pending.size() > 0) {
            emit();
        }
    }

    private void emit() {
        String line = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        lines.accept(line);
    }
}
