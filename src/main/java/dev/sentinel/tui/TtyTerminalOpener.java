package dev.sentinel.tui;

import com.googlecode.lanterna.screen.TerminalScreen;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens the controlling terminal for the dashboard. Keys are read from {@code /dev/tty} (so they
 * work even when stdin is redirected); the screen is drawn on stdout when stdout is a terminal,
 * else (only with {@code --tui always}) on {@code /dev/tty}. Without a controlling terminal it
 * refuses: Lanterna runs {@code stty} on {@code /dev/tty} and must never start without one.
 * The dashboard always speaks UTF-8, as every current terminal does.
 */
final class TtyTerminalOpener implements TerminalOpener {

    private static final String TTY = "/dev/tty";

    private final boolean stdoutIsTerminal;

    TtyTerminalOpener(boolean stdoutIsTerminal) {
        this.stdoutIsTerminal = stdoutIsTerminal;
    }

    @Override
    public TerminalScreen open() throws NoTerminalException {
        InputStream in;
        try {
            in = keys(Path.of(TTY));
        } catch (IOException e) {
            throw new NoTerminalException("there is no terminal to draw the dashboard on (" + TTY
                    + " cannot be opened: " + e.getMessage() + ")", e);
        }
        OutputStream out = null;
        try {
            out = stdoutIsTerminal ? new FileOutputStream(FileDescriptor.out) : new FileOutputStream(TTY);
            return new TerminalScreen(new GuardedUnixTerminal(in, new BufferedOutputStream(out, 1 << 16),
                    StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            closeQuietly(in);
            if (!stdoutIsTerminal && out != null) {
                closeQuietly(out);
            }
            throw new NoTerminalException("cannot take over the terminal: " + e.getMessage(), e);
        }
    }

    /**
     * The terminal's keys, through a FileChannel rather than a FileInputStream: closing the channel
     * ends a read blocked on it (the JDK signals the reading thread), so the key thread is not left
     * in read(2), in native code, when the JVM exits; HotSpot would hold the exit up 300 ms for it.
     */
    static InputStream keys(Path tty) throws IOException {
        return Channels.newInputStream(FileChannel.open(tty, StandardOpenOption.READ));
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to do
        }
    }
}
