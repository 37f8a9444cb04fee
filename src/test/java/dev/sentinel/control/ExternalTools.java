package dev.sentinel.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The command-line tools the protocol promises to work with (nc, socat), run the way a user runs them. */
final class ExternalTools {

    private ExternalTools() {
    }

    static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The result of a shell pipeline: its output, exit status and how long it took. */
    record Run(String stdout, String stderr, int exit, long millis) {
    }

    /** Runs {@code sh -c script} with no input; fails if it takes longer than {@code timeout}. */
    static Run sh(String script, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("ctl-out", ".txt");
            err = Files.createTempFile("ctl-err", ".txt");
            long start = System.nanoTime();
            Process p = new ProcessBuilder("sh", "-c", script)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("'" + script + "' still runs after " + timeout.toMillis() + " ms; output: "
                        + Files.readString(out) + Files.readString(err));
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            return new Run(Files.readString(out), Files.readString(err), p.exitValue(), millis);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }
}
