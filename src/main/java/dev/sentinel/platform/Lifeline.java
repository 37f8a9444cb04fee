package dev.sentinel.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A tiny shell that SIGKILLs the child's process group if Sentinel dies without saying goodbye.
 * It blocks reading a pipe from Sentinel; the kernel closes that pipe however Sentinel dies
 * (even SIGKILL, which Sentinel cannot handle), and the shell then kills the group. When Sentinel
 * ends normally it first writes "done", and the shell exits without killing anything, so a
 * recycled process-group id is never hit.
 */
final class Lifeline {

    private static final String SCRIPT =
            "trap '' INT TERM HUP USR1 USR2 QUIT; read -r line; [ \"$line\" = done ] || kill -9 -\"$1\" 2>/dev/null";

    private final Process shell;

    private Lifeline(Process shell) {
        this.shell = shell;
    }

    /** Starts a lifeline for {@code pgid}; returns null if no shell could be started. */
    static Lifeline start(long pgid) {
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", SCRIPT, "sentinel-lifeline", Long.toString(pgid))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return new Lifeline(p);
        } catch (IOException e) {
            return null;
        }
    }

    /** Tells the shell the tree is gone; it exits without killing anything. */
    void release() {
        try (OutputStream out = shell.getOutputStream()) {
            out.write("done\n".getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // The shell is already gone; nothing to release.
        }
    }
}
