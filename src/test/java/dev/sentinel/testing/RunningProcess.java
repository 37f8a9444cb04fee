package dev.sentinel.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real process started by a test, with its stdout and stderr collected line by line. Closing
 * it kills it and every descendant it still has, so no test leaves a process behind.
 */
public final class RunningProcess implements AutoCloseable {

    private final Process process;
    private final List<String> out = new ArrayList<>();
    private final List<String> err = new ArrayList<>();
    private final List<ProcessHandle> seenDescendants = new ArrayList<>();
    private final Thread outReader;
    private final Thread errReader;

    private RunningProcess(Process process) {
        this.process = process;
        outReader = collect(process.getInputStream(), out, "out");
        errReader = collect(process.getErrorStream(), err, "err");
    }

    public static RunningProcess start(List<String> command) {
        return start(command, java.util.Map.of());
    }

    /** Starts {@code command} with {@code environment} added to this JVM's. */
    public static RunningProcess start(List<String> command, java.util.Map<String, String> environment) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(environment);
            pb.redirectInput(ProcessBuilder.Redirect.PIPE);
            return new RunningProcess(pb.start());
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + command, e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public Process process() {
        return process;
    }

    /** Waits for the process to exit and returns its status; fails after {@code timeout}. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("process " + pid() + " still running after " + timeout.toMillis()
                        + " ms; stderr so far:\n" + String.join("\n", stderr()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        // What it wrote before it exited is read to the end (the readers stop at the pipes' end;
        // a descendant that keeps a pipe open only makes this wait its bound).
        try {
            outReader.join(READ_TO_END_MILLIS);
            errReader.join(READ_TO_END_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return process.exitValue();
    }

    /** Waits for a line of stderr matching {@code regex}; returns the match. */
    public Matcher awaitStderr(String regex, Duration timeout) {
        return awaitLine(err, regex, timeout, "stderr");
    }

    /** Waits for a line of stdout matching {@code regex}; returns the match. */
    public Matcher awaitStdout(String regex, Duration timeout) {
        return awaitLine(out, regex, timeout, "stdout");
    }

    private Matcher awaitLine(List<String> lines, String regex, Duration timeout, String which) {
        Pattern p = Pattern.compile(regex);
        Matcher[] found = new Matcher[1];
        Await.until(timeout, () -> "a line of " + which + " matching /" + regex + "/; " + which + " was:\n"
                + String.join("\n", snapshot(lines)), () -> {
            for (String l : snapshot(lines)) {
                Matcher m = p.matcher(l);
                if (m.find()) {
                    found[0] = m;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    public List<String> stdout() {
        return snapshot(out);
    }

    public List<String> stderr() {
        return snapshot(err);
    }

    /** Sends a signal with kill(1). */
    public void signal(String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid())).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Remembers the current descendants so that {@link #close()} kills them even if re-parented. */
    public void rememberDescendants() {
        process.descendants().forEach(seenDescendants::add);
    }

    @Override
    public void close() {
        rememberDescendants();
        process.destroyForcibly();
        for (ProcessHandle h : seenDescendants) {
            h.destroyForcibly();
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> snapshot(List<String> lines) {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** How long an exited process's output may take to be read to its end. */
    private static final long READ_TO_END_MILLIS = 5_000;

    private static Thread collect(InputStream in, List<String> into, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (into) {
                        into.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "test-collect-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
