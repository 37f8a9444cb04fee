package dev.sentinel.tui;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code --log-file}: the child's output lines, appended as printed (escape sequences and all).
 * Written on the pump threads, which may wait for the disk; the supervisor loop never does.
 * The dashboard thread flushes a few times a second so the file follows the run closely.
 * A write error is reported once (through {@link #error()}) and ends the logging, never the guard.
 */
final class LogFile implements AutoCloseable {

    private final Path path;
    private BufferedWriter writer;
    private String error;

    private LogFile(Path path, BufferedWriter writer) {
        this.path = path;
        this.writer = writer;
    }

    /** Opens {@code path} for appending, creating it if needed. */
    static LogFile open(Path path) throws IOException {
        return new LogFile(path, Files.newBufferedWriter(path, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    synchronized void line(String text) {
        if (writer == null) {
            return;
        }
        try {
            writer.write(text);
            writer.write('\n');
        } catch (IOException e) {
            fail(e);
        }
    }

    synchronized void flush() {
        if (writer == null) {
            return;
        }
        try {
            writer.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    /** The first write error, as a sentence, or null. */
    synchronized String error() {
        return error;
    }

    @Override
    public synchronized void close() {
        if (writer == null) {
            return;
        }
        try {
            writer.close();
        } catch (IOException e) {
            fail(e);
        }
        writer = null;
    }

    private void fail(IOException e) {
        error = "writing the log file " + path + " failed (" + e.getMessage() + "); the output is no longer logged";
        try {
            writer.close();
        } catch (IOException ignored) {
            // already failing
        }
        writer = null;
    }
}
