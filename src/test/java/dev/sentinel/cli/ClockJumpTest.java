package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The wall clock jumps under a running Sentinel: back an hour and forward a day, several times,
 * while a restart delay, a sampling interval and a grace period run. Sentinel runs under
 * libfaketime with only CLOCK_REALTIME faked (the host's clock is never touched), so
 * {@code System.currentTimeMillis} jumps and {@code System.nanoTime} does not. Every timer must
 * take its set time by this test's own monotonic clock, and the journal's time stamps must follow
 * the (faked) wall clock.
 */
class ClockJumpTest {

    private static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;

    @TempDir
    Path dir;

    private Path offsetFile;

    @Test
    void timersKeepTheirTimeAndEventsTheWallClockWhenItJumps() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(FAKETIME),
                "libfaketime is not installed (" + FAKETIME + "): the wall clock cannot be moved for one process");
        offsetFile = dir.resolve("faketime");
        jump("+0");
        Path socket = dir.resolve("s.sock");
        Path journal = dir.resolve("journal.jsonl");
        Path count = dir.resolve("count");
        // Run 1 fails at once (a restart delay follows); run 2 leaks and ignores SIGTERM (a grace
        // follows); run 3 sleeps.
        String script = "n=$(cat " + count + " 2>/dev/null || echo 0); n=$((n+1)); echo $n > " + count + "; "
                + "case $n in 1) exit 3;; 2) exec " + String.join(" ", JavaPrograms.leaker()) + " --ignore-term --leak 40 --max 140M;; "
                + "*) exec sleep 600;; esac";
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" >/dev/null", "sh"));
        cmd.addAll(JavaPrograms.sentinel("--no-tui", "--no-metrics", "--socket", socket.toString(),
                "--journal", journal.toString(), "-m", "150M", "--kernel-limit", "1G", "-i", "100ms", "-g", "4s", "--restart", "on-failure",
                "--restart-delay", "4s", "--stable-after", "10m", "--", "sh", "-c", script));
        Map<String, String> env = Map.of("LD_PRELOAD", FAKETIME.toString(), "FAKETIME_DONT_FAKE_MONOTONIC", "1",
                "FAKETIME_NO_CACHE", "1", "FAKETIME_TIMESTAMP_FILE", offsetFile.toString());
        try (RunningProcess s = RunningProcess.start(cmd, env)) {
            // Run 1 exits 3; the restart is due in 4 s. The clock goes back an hour.
            long exited = awaitNth(s, "exited with status 3", 1);
            jump("-1h");
            long backAt = System.nanoTime();
            // The exit is said before the snapshot that shows the pending restart is published.
            String[] status = new String[1];
            Await.until(WAIT, () -> "a pending restart in " + status[0], () -> {
                status[0] = askQuietly(socket);
                return status[0] != null && !"null".equals(field(status[0], "next_restart_seconds"));
            });
            double left = Double.parseDouble(field(status[0], "next_restart_seconds"));
            assertTrue(left <= 4.5, "after the jump back the restart is still seconds away, not an hour: " + status[0]);
            long started2 = awaitNth(s, "started pid", 2);
            double backoff = seconds(started2 - exited);
            assertTrue(backoff >= 2.5 && backoff < 15, "the 4 s restart delay took " + backoff + " s (jumped back "
                    + seconds(backAt - exited) + " s into it)");

            // Run 2 leaks at 40 MiB/s. The clock goes forward a day (25 h from where it stood).
            jump("+1d");
            long crossed = awaitNth(s, "limit crossed: tree RSS", 1);
            double toCross = seconds(crossed - started2);
            assertTrue(toCross < 20, "the leak was caught " + toCross + " s after the start");
            // SIGTERM is ignored: the 4 s grace runs, and the clock goes back 25 h in it.
            long termSent = awaitNth(s, "sent SIGTERM to the tree", 1);
            jump("-1h");
            long killSent = awaitNth(s, "sent SIGKILL to the tree", 1);
            double grace = seconds(killSent - termSent);
            assertTrue(grace >= 2.5 && grace < 15, "the 4 s grace took " + grace + " s: " + s.stderr());

            // The second restart in a row waits 8 s; the clock goes forward a day in it, which must
            // not make it fire early.
            long exited2 = awaitNth(s, "exited", 2);
            jump("+1d");
            long started3 = awaitNth(s, "started pid", 3);
            double backoff2 = seconds(started3 - exited2);
            assertTrue(backoff2 >= 6 && backoff2 < 20, "the 8 s restart delay took " + backoff2 + " s");
            System.out.printf("clock jumps: restart delay 4 s took %.2f s, leak caught %.2f s after start,"
                    + " grace 4 s took %.2f s, restart delay 8 s took %.2f s%n", backoff, toCross, grace, backoff2);

            // The journal's time stamps follow the wall clock as faked at each event.
            long now = System.currentTimeMillis();
            // The journal is written by a thread of its own: the third start may still be on its way.
            Await.until(WAIT, "three starts in the journal", () -> lines(journal).stream()
                    .filter(e -> e.contains("\"kind\":\"started\"")).count() >= 3);
            List<String> events = lines(journal);
            assertOffset(events, "\"kind\":\"started\"", 0, 0, now);
            assertOffset(events, "\"kind\":\"started\"", 1, -HOUR, now);
            assertOffset(events, "\"kind\":\"limit-crossed\"", 0, DAY, now);
            assertOffset(events, "\"kind\":\"started\"", 2, DAY, now);
            s.signal("TERM");
            s.awaitExit(WAIT);
        }
    }

    /** Sets the fake wall clock to the real one moved by {@code offset} ({@code -1h}, {@code +1d}). */
    private void jump(String offset) throws IOException {
        Path tmp = dir.resolve("faketime.tmp");
        Files.writeString(tmp, offset + "\n");
        Files.move(tmp, offsetFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Waits for the {@code n}th line of stderr matching {@code regex}; the monotonic time it was
     * seen. Lines are seen a little late (a pipe, a poll), so a timer measured between two of them
     * can look a little short: the lower bounds leave room for that, and a timer fired by a jump
     * would be off by the jump (an hour or a day), not by a second.
     */
    private static long awaitNth(RunningProcess s, String regex, int n) {
        Pattern p = Pattern.compile(regex);
        Await.until(WAIT, () -> n + " lines matching /" + regex + "/; stderr:\n" + String.join("\n", s.stderr()),
                () -> s.stderr().stream().filter(l -> p.matcher(l).find()).count() >= n);
        return System.nanoTime();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([^,}]+)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    /** The {@code index}th event matching {@code kind} was stamped at the real time moved by {@code offset}, give or take 90 s. */
    private static void assertOffset(List<String> events, String kind, int index, long offset, long realNow) {
        List<String> of = events.stream().filter(e -> e.contains(kind)).toList();
        assertTrue(of.size() > index, "event " + index + " of " + kind + " in " + events);
        String e = of.get(index);
        Matcher m = Pattern.compile("\"time\":\"([^\"]+)\"").matcher(e);
        assertTrue(m.find(), e);
        long at = OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli();
        long off = at - realNow;
        assertTrue(Math.abs(off - offset) < 90_000, "stamped " + off / 1000 + " s from the real time, expected about "
                + offset / 1000 + " s: " + e);
        assertEquals(-1, e.indexOf("\"time\":null"), e);
    }

    private static String askQuietly(Path socket) {
        try {
            return RestartingTest.ask(socket, "status json");
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
