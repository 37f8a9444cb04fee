package dev.sentinel.tui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A detached tmux session on a private tmux server (its socket in the test's own directory, no
 * user configuration), so a test can run a program in a real terminal, read the screen and press
 * keys. Closing kills the server and with it everything still running in the session.
 */
final class Tmux implements AutoCloseable {

    private final String socket;
    private final String session = "s";

    /** A server whose socket lives in {@code dir}, so it goes away with the test's directory. */
    Tmux(Path dir) {
        this.socket = dir.resolve("tmux.socket").toString();
    }

    static boolean available() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Runs {@code command} in a {@code columns} x {@code rows} terminal through a shell script that
     * records the terminal settings before, prints {@code EXIT=<status>} and whether the settings
     * came back ({@code TTY=same} or {@code TTY=changed}), then keeps the pane open.
     */
    Tmux start(Path dir, int columns, int rows, List<String> env, List<String> command) {
        StringBuilder script = new StringBuilder("#!/bin/sh\n");
        for (String e : env) {
            script.append("export ").append(e.substring(0, e.indexOf('=') + 1)).append(quote(e.substring(e.indexOf('=') + 1)))
                    .append('\n');
        }
        script.append("before=$(stty -g)\n");
        for (String word : command) {
            script.append(quote(word)).append(' ');
        }
        script.append("\necho \"EXIT=$?\"\n")
                .append("after=$(stty -g)\n")
                .append("if [ \"$before\" = \"$after\" ]; then echo TTY=same; else echo TTY=changed; fi\n")
                .append("exec sleep 300\n");
        Path file = dir.resolve("run-in-tmux.sh");
        try {
            Files.writeString(file, script, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        run("-f", "/dev/null", "-u", "new-session", "-d", "-s", session, "-x", Integer.toString(columns), "-y",
                Integer.toString(rows), file.toString());
        return this;
    }

    /** The visible screen as text, one line per row. */
    String screen() {
        return run("capture-pane", "-p", "-t", session);
    }

    /** A tmux format for the pane, e.g. {@code #{alternate_on}}. */
    String display(String format) {
        return run("display-message", "-p", "-t", session, format).trim();
    }

    void sendKeys(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        run(args.toArray(String[]::new));
    }

    @Override
    public void close() {
        try {
            Process p = new ProcessBuilder("tmux", "-S", socket, "kill-server").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no server left
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String run(String... args) {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
