package dev.sentinel.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.terminal.ansi.UnixTerminal;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;

/**
 * Lanterna's Unix terminal (stty on /dev/tty, raw-ish input, restored on close and by its own
 * shutdown hook), with the keys that would stop or suspend the guard turned into plain key
 * strokes: Ctrl-C ({@code intr}, by Lanterna's TRAP mode) arrives as a key and quits like
 * {@code q}; Ctrl-Z ({@code susp}) would suspend Sentinel and with it the guard, and Ctrl-\
 * ({@code quit}) would make the JVM print a thread dump over the screen, so both are switched off;
 * {@code -ixon} keeps Ctrl-S from freezing the output. All of these settings were saved by Lanterna
 * ({@code stty -g}) before they changed, so closing restores them.
 *
 * <p>Keys are read by a thread of their own that blocks on the terminal, and they wake the
 * dashboard ({@link KeySignal}): no polling of the terminal while nothing is typed.
 *
 * <p>The size comes from the kernel ({@code stty size}) rather than Lanterna's cursor-position
 * query: the query's answer would have to race the dashboard's own input reading, and its
 * request would sit in the buffered output until the next flush.
 */
final class GuardedUnixTerminal extends UnixTerminal implements KeySignal {

    private final TtyInput keys;

    /** Keys are read from {@code in} by a thread of their own (see {@link TtyInput}), started here. */
    GuardedUnixTerminal(InputStream in, OutputStream out, Charset charset) throws IOException {
        this(new TtyInput(in), out, charset);
    }

    private GuardedUnixTerminal(TtyInput keys, OutputStream out, Charset charset) throws IOException {
        super(keys, out, charset, CtrlCBehaviour.TRAP);
        this.keys = keys;
        runSTTYCommand("susp", "undef", "quit", "undef", "-ixon");
        keys.start();
    }

    @Override
    public void onKeys(Runnable listener) {
        keys.onInput(listener);
    }

    @Override
    protected TerminalSize findTerminalSize() throws IOException {
        String[] rowsCols = runSTTYCommand("size").trim().split("\\s+");
        if (rowsCols.length == 2) {
            try {
                int rows = Integer.parseInt(rowsCols[0]);
                int cols = Integer.parseInt(rowsCols[1]);
                if (rows > 0 && cols > 0) {
                    return new TerminalSize(cols, rows);
                }
            } catch (NumberFormatException ignored) {
                // fall back to asking the terminal
            }
        }
        flush();
        return super.findTerminalSize();
    }

    @Override
    protected void writeToTerminal(byte... bytes) throws IOException {
        super.writeToTerminal(bytes);
        // A device status request (ESC [ 6 n) must reach the terminal now: Lanterna waits for its answer.
        int n = bytes.length;
        if (n >= 2 && bytes[n - 2] == '6' && bytes[n - 1] == 'n') {
            flush();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            // Lanterna's resize handler stays installed and would query the terminal on the restored
            // screen. Reached reflectively, as Lanterna does, so no internal API is named here.
            defaultWindowChangeHandling();
            // Lanterna leaves its input open: closing it ends the key thread's read (see
            // TtyTerminalOpener), so no thread of the dashboard's is in native code at exit.
            keys.close();
        }
    }

    private static void defaultWindowChangeHandling() {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object dfl = handler.getField("SIG_DFL").get(null);
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance("WINCH"),
                    dfl);
        } catch (ReflectiveOperationException | RuntimeException ignored) {
            // no such API here: then Lanterna could not install its handler either
        }
    }
}
