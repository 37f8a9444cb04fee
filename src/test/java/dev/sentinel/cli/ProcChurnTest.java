package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tree that forks and ends short-lived children as fast as two shells can, beside a steady
 * process, under a limit just above its steady usage: processes end between the listing of a
 * parent's children and the read of their files all the time. Over 20 s no sample may take that
 * for the tree gone or count it bigger than it is (no exit, no restart, no crossing), and a real
 * leak is still caught afterwards.
 */
class ProcChurnTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern RSS = Pattern.compile("\"rss_bytes\":(\\d+)");
    private static final Pattern PEAK = Pattern.compile("\"peak_rss_bytes\":(\\d+)");
    private static final Pattern SAMPLES = Pattern.compile("\"samples\":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void aTreeThatForksAndEndsChildrenAtAHighRateIsNeitherGoneNorOverItsLimit() throws Exception {
        Path socket = dir.resolve("s.sock");
        Path journal = dir.resolve("journal.jsonl");
        Path go = dir.resolve("go");
        String leaker = String.join(" ", JavaPrograms.leaker());
        Path counted1 = dir.resolve("forks1");
        Path counted2 = dir.resolve("forks2");
        // Each loop counts its children (a builtin's redirection, no fork of its own) every 50.
        String script = "(i=0; while :; do /bin/true; i=$((i+1)); [ $((i % 50)) -ne 0 ] || echo $i > " + counted1
                + "; done) & "
                + "(i=0; while :; do /bin/true & /bin/true & /bin/true & wait; i=$((i+3)); [ $((i % 48)) -ne 0 ] || echo $i > "
                + counted2 + "; done) & "
                + "(while [ ! -e " + go + " ]; do sleep 0.05; done; exec " + leaker + " --leak 50) & "
                + "exec " + leaker + " --leak 100 --max 40M";
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" >/dev/null", "sh"));
        cmd.addAll(JavaPrograms.sentinel("--no-tui", "--no-metrics", "--socket", socket.toString(),
                "--journal", journal.toString(), "-m", "2G", "-i", "100ms", "-g", "2s", "--", "sh", "-c", script));
        try (RunningProcess s = RunningProcess.start(cmd)) {
            Matcher started = s.awaitStderr("started pid (\\d+)", WAIT);
            long pid = Long.parseLong(started.group(1));
            Await.until(WAIT, "the socket", () -> Files.exists(socket));
            // Steady: the leaker holds its 40 MiB (and the JVM its own). The peak over a few seconds
            // of churn is the steady usage; the limit goes 48 MiB above it.
            Await.until(WAIT, () -> "the steady leaker's 40 MiB, status " + status(socket),
                    () -> number(RSS, status(socket)) > 40L << 20);
            Thread.sleep(3000);
            long steady = number(PEAK, status(socket));
            long limit = steady + (48L << 20);
            String reply = RestartingTest.ask(socket, "limit " + limit);
            assertTrue(reply.startsWith("OK"), reply);
            long forksBefore = forks(counted1) + forks(counted2);
            long samplesBefore = number(SAMPLES, status(socket));
            long until = System.nanoTime() + 20_000_000_000L;
            long maxRss = 0;
            int looks = 0;
            while (System.nanoTime() < until) {
                String st = status(socket);
                assertTrue(st.contains("\"state\":\"RUNNING\""), "running throughout: " + st);
                assertTrue(st.contains("\"pid\":" + pid + ","), "the same run throughout: " + st);
                assertTrue(st.contains("\"run\":1,"), "never restarted: " + st);
                maxRss = Math.max(maxRss, number(RSS, st));
                looks++;
                Thread.sleep(200);
            }
            long samples = number(SAMPLES, status(socket)) - samplesBefore;
            long forks = forks(counted1) + forks(counted2) - forksBefore;
            System.out.printf("churn: %d samples and about %d forks in 20 s, %d looks;"
                    + " steady %d MiB, max %d MiB, limit %d MiB%n", samples, forks, looks, steady >> 20, maxRss >> 20,
                    limit >> 20);
            assertTrue(forks > 1000, "the tree churned: " + forks + " forks");
            assertTrue(samples >= 50, "samples went on at their interval: " + samples + " in 20 s");
            assertTrue(maxRss < limit, "under its limit: " + maxRss);
            List<String> events = Files.readAllLines(journal);
            for (String e : events) {
                assertFalse(e.contains("\"kind\":\"limit-crossed\"") || e.contains("\"kind\":\"exited\"")
                        || e.contains("\"kind\":\"started\"") && !e.contains("\"run\":1"), "no false event: " + e);
            }
            assertFalse(String.join("\n", s.stderr()).contains("limit crossed"), String.join("\n", s.stderr()));

            // A real leak is still caught.
            Files.createFile(go);
            s.awaitStderr("limit crossed: tree RSS", WAIT);
            s.awaitStderr("sent SIGTERM to the tree \\(memory limit exceeded\\)", WAIT);
            int status = s.awaitExit(WAIT);
            assertTrue(status != 0, "a memory stop is never 0: " + status);
        }
    }

    private static String status(Path socket) {
        try {
            return RestartingTest.ask(socket, "status json");
        } catch (IOException e) {
            throw new AssertionError("status over the socket: " + e, e);
        }
    }

    private static long number(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new AssertionError(p + " not in " + text);
        }
        return Long.parseLong(m.group(1));
    }

    /** What a churning loop last wrote: how many children it has forked (0 before its first write). */
    private static long forks(Path counter) {
        try {
            String t = Files.readString(counter).trim();
            return t.isEmpty() ? 0 : Long.parseLong(t);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
