package dev.sentinel.deploy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A command-line tool the deploy tests run (kubectl, helm, node), and its whole answer. */
record Tool(String name) {

    /** What one run gave: its exit status, stdout and stderr. */
    record Result(int status, String out, String err) {
        /** Stdout, or an AssertionError that carries the command's own words. */
        String outOrFail(List<String> command) {
            if (status != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + status + ":\n" + err + out);
            }
            return out;
        }
    }

    /** The tool's path on PATH, or null. */
    static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Runs {@code command} in {@code dir} with {@code input} on stdin; fails after two minutes. */
    static Result run(Path dir, List<String> command, String input) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (var stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(2, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not end within two minutes");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                return b.toString(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(cannot read: " + e.getMessage() + ")";
            }
        });
    }
}
