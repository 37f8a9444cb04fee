import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Restart latency (issue #11): a leaker against a 100 MiB limit under {@code --restart on-failure
 * --restart-delay 0}, stopped for memory again and again. For every restart, the time from the old
 * tree being gone to the restarted program running, both seen from outside by polling /proc about
 * every 100 µs:
 * <ul>
 * <li>gone: the program's process has ended: no longer in /proc, or a zombie with no thread left
 * (a multi-threaded process's leader shows as a zombie as soon as its own thread exits, while the
 * rest of it, freeing its memory, is still going; that is the kernel's time, not Sentinel's).
 * Noticing the end, reaping it and acting on it are all inside the figure;</li>
 * <li>running: a new child of Sentinel leads its own process group and has exec'd the program
 * (its command line is no longer util-linux {@code setsid}'s).</li>
 * </ul>
 * Beside it, Sentinel's own view from its journal: the {@code exited} event to the next
 * {@code started} event (both stamped on its loop, to the millisecond).
 *
 * <p>{@code java -cp CLASSES Restart runs=N ...}
 */
final class Restart {

    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\".*?\"kind\":\"(exited|started)\"");

    private Restart() {
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args);
        int restarts = bench.intArg("runs", bench.quick ? 3 : 12);
        Path log = bench.tmpFile("restart.log");
        Path journal = bench.tmpFile("restart-journal.jsonl");
        Process sentinel = bench.sentinel(List.of("--no-tui", "--no-socket", "--no-metrics", "-m", "100M",
                "--restart", "on-failure", "--restart-delay", "0", "--max-restarts", "0", "--journal",
                journal.toString()), bench.leaker("--leak", "400", "--max", "1G"), log, Map.of());
        List<Double> outside = new ArrayList<>();
        List<Long> goneWallMillis = new ArrayList<>();
        try {
            Seen program = awaitProgram(sentinel.pid(), -1, System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
            while (outside.size() < restarts && program != null) {
                long gone = awaitGone(program.pid(), System.nanoTime() + TimeUnit.SECONDS.toNanos(30));
                goneWallMillis.add(System.currentTimeMillis());
                if (gone < 0) {
                    bench.note("restart", "sentinel", "", "a run did not end within 30 s; see " + log);
                    break;
                }
                Seen next = awaitProgram(sentinel.pid(), program.pid(), gone + TimeUnit.SECONDS.toNanos(30));
                if (next == null) {
                    bench.note("restart", "sentinel", "", "no restart within 30 s of a run's end; see " + log);
                    break;
                }
                double ms = (next.atNanos() - gone) / 1e6;
                outside.add(ms);
                bench.record("restart", "sentinel", "", "gone_to_running_ms", ms);
                Bench.progress(String.format(java.util.Locale.ROOT, "restart %2d: tree gone -> program running %6.2f ms",
                        outside.size(), ms));
                program = next;
            }
        } finally {
            Bench.stop(sentinel, 5_000);
            Bench.kill(sentinel);
        }
        List<Double> inside = journalGaps(journal);
        for (double ms : inside) {
            bench.record("restart", "sentinel", "", "journal_exited_to_started_ms", ms);
        }
        // How long Sentinel took to see the end: from the process's end (seen here) to its exited
        // event (stamped on its loop); same wall clock, millisecond resolution.
        List<Long> exitedAt = journalTimes(journal, "exited");
        for (int i = 0; i < Math.min(goneWallMillis.size(), exitedAt.size()); i++) {
            bench.record("restart", "sentinel", "", "gone_to_exited_event_ms", exitedAt.get(i) - goneWallMillis.get(i));
        }
        if (!outside.isEmpty()) {
            Bench.progress(String.format(java.util.Locale.ROOT, "restart: median %.2f ms from outside (%d restarts), "
                    + "%.1f ms in the journal", Bench.median(outside), outside.size(),
                    inside.isEmpty() ? Double.NaN : Bench.median(inside)));
        }
        bench.cleanup();
    }

    /** A program process first seen running at {@code atNanos} (System.nanoTime). */
    private record Seen(long pid, long atNanos) {
    }

    /**
     * Waits for a child of {@code guardian} other than {@code not} that leads its own process group
     * and has exec'd the program; null at the deadline.
     */
    private static Seen awaitProgram(long guardian, long not, long deadline) {
        while (System.nanoTime() < deadline) {
            for (long pid : children(guardian)) {
                if (pid != not && isExecdGroupLeader(pid)) {
                    return new Seen(pid, System.nanoTime());
                }
            }
            LockSupport.parkNanos(100_000);
        }
        return null;
    }

    /** Waits until {@code pid} has ended (gone, or a zombie of its last thread); returns when (System.nanoTime), or -1. */
    private static long awaitGone(long pid, long deadline) {
        while (System.nanoTime() < deadline) {
            String stat = read("/proc/" + pid + "/stat");
            if (stat == null || (state(stat) == 'Z' || state(stat) == 'X') && threads(stat) <= 1) {
                return System.nanoTime();
            }
            LockSupport.parkNanos(100_000);
        }
        return -1;
    }

    private static List<Long> children(long pid) {
        List<Long> out = new ArrayList<>();
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks) {
                String c = read(t.resolve("children").toString());
                if (c != null) {
                    for (String w : c.trim().split("\\s+")) {
                        if (!w.isEmpty()) {
                            out.add(Long.parseLong(w));
                        }
                    }
                }
            }
        } catch (IOException e) {
            // the guardian is gone
        }
        return out;
    }

    private static boolean isExecdGroupLeader(long pid) {
        String stat = read("/proc/" + pid + "/stat");
        if (stat == null || state(stat) == 'Z') {
            return false;
        }
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        if (Long.parseLong(f[2]) != pid) {
            return false; // not yet setsid()'d, or the lifeline
        }
        String cmdline = read("/proc/" + pid + "/cmdline");
        if (cmdline == null || cmdline.isEmpty()) {
            return false;
        }
        String argv0 = cmdline.split("\0", 2)[0];
        return !argv0.endsWith("setsid");
    }

    private static long threads(String stat) {
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[17]);
    }

    private static char state(String stat) {
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    private static String read(String path) {
        try {
            return new String(Files.readAllBytes(Path.of(path)), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The epoch milliseconds of every event of {@code kind}, in order. */
    static List<Long> journalTimes(Path journal, String kind) throws IOException {
        List<Long> out = new ArrayList<>();
        for (String line : Files.readAllLines(journal)) {
            Matcher m = TIME.matcher(line);
            if (m.find() && m.group(2).equals(kind)) {
                out.add(OffsetDateTime.parse(m.group(1)).toInstant().toEpochMilli());
            }
        }
        return out;
    }

    /** From each {@code exited} event to the next {@code started} one, in milliseconds. */
    static List<Double> journalGaps(Path journal) throws IOException {
        List<Double> gaps = new ArrayList<>();
        OffsetDateTime exited = null;
        for (String line : Files.readAllLines(journal)) {
            Matcher m = TIME.matcher(line);
            if (!m.find()) {
                continue;
            }
            OffsetDateTime t = OffsetDateTime.parse(m.group(1));
            if (m.group(2).equals("exited")) {
                exited = t;
            } else if (exited != null) {
                gaps.add(java.time.Duration.between(exited, t).toNanos() / 1e6);
                exited = null;
            }
        }
        return gaps;
    }
}
