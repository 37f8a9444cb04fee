import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The independent observer: watches a guardian's tree from outside, polling the summed RSS of
 * the tree every millisecond, and records when it first exceeded the limit and how high it got.
 *
 * <p>It finds the guarded tree under the guardian's pid through /proc/PID/task/TID/children. For
 * Sentinel the tree is the child that leads its own process group (Sentinel's other child, the
 * lifeline {@code sh}, is not part of it); for the reference guardian it is every child. Each
 * known process's /proc/PID/statm is kept open and re-read with pread on every poll; the tree is
 * re-walked every {@value #REDISCOVER_MILLIS} ms to pick up new processes.
 *
 * <p>Times are CLOCK_REALTIME microseconds ({@link Instant#now()}), the clock the leaker stamps
 * SIGTERM with. The crossing time is interpolated linearly between the last poll at or below the
 * limit and the first above it, so it does not carry the poll period as a bias.
 *
 * <p>Standalone: {@code java bench/Observer.java GUARDIAN_PID LIMIT_MIB [group|all]}.
 */
final class Observer implements Runnable {

    static final long REDISCOVER_MILLIS = 20;

    /** How the guarded tree hangs under the guardian. */
    enum Shape {
        /** The child that leads its own process group (Sentinel: setsid). */
        GROUP_LEADER,
        /** Every child of the guardian (the reference guardian). */
        ALL_CHILDREN
    }

    /**
     * What one observation saw.
     *
     * @param crossingMicros interpolated time the tree's RSS passed the limit, or -1 if it never did
     * @param firstAboveMicros time of the first poll that saw the tree above the limit, or -1
     * @param lastBelowMicros time of the poll before it
     * @param peakBytes highest summed RSS seen
     * @param goneMicros time the tree was first seen gone (all processes exited or zombies), or -1
     * @param meanPollMicros mean time between polls
     * @param maxGapMicros longest time between two polls
     */
    record Result(long programPid, long crossingMicros, long firstAboveMicros, long lastBelowMicros,
                  long peakBytes, long peakMicros, long goneMicros, int maxProcesses, long polls,
                  double meanPollMicros, long maxGapMicros, String error) {
    }

    private final long guardianPid;
    private final Shape shape;
    private final long limitBytes;
    private final long pollNanos;
    private final long timeoutNanos;
    /** Which of the candidate roots to watch (all by default; one program among many in config mode). */
    private final java.util.function.LongPredicate rootFilter;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile Result result;
    private volatile long currentRss;

    Observer(long guardianPid, Shape shape, long limitBytes, long pollNanos, long timeoutNanos) {
        this(guardianPid, shape, limitBytes, pollNanos, timeoutNanos, pid -> true);
    }

    /** Watches only the roots {@code rootFilter} accepts, e.g. one program's group among a config's many. */
    Observer(long guardianPid, Shape shape, long limitBytes, long pollNanos, long timeoutNanos,
             java.util.function.LongPredicate rootFilter) {
        this.rootFilter = rootFilter;
        this.guardianPid = guardianPid;
        this.shape = shape;
        this.limitBytes = limitBytes;
        this.pollNanos = pollNanos;
        this.timeoutNanos = timeoutNanos;
    }

    /** Starts observing on a thread of its own (max priority; it must not lag behind the leak). */
    Observer start() {
        Thread t = new Thread(this, "observer");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        t.start();
        return this;
    }

    void stop() {
        stopRequested = true;
    }

    /** The tree's summed RSS at the latest poll (0 before the tree appears). */
    long currentRss() {
        return currentRss;
    }

    boolean finished() {
        return finished.getCount() == 0;
    }

    Result await(long timeout, TimeUnit unit) throws InterruptedException {
        if (!finished.await(timeout, unit)) {
            stop();
            finished.await(5, TimeUnit.SECONDS);
        }
        return result;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }

    @Override
    public void run() {
        try {
            result = observe();
        } catch (RuntimeException e) {
            result = new Result(-1, -1, -1, -1, 0, -1, -1, 0, 0, 0, 0, e.toString());
        } finally {
            finished.countDown();
        }
    }

    private Result observe() {
        long deadline = System.nanoTime() + timeoutNanos;
        List<Long> roots = List.of();
        while (roots.isEmpty()) {
            if (stopRequested || System.nanoTime() > deadline || !Proc.alive(guardianPid)) {
                return new Result(-1, -1, -1, -1, 0, -1, -1, 0, 0, 0, 0, "the guarded tree never appeared");
            }
            roots = findRoots();
            if (roots.isEmpty()) {
                LockSupport.parkNanos(pollNanos);
            }
        }
        Map<Long, Proc.OpenFile> tracked = new HashMap<>();
        long crossing = -1;
        long firstAbove = -1;
        long lastBelow = -1;
        long peak = 0;
        long peakAt = -1;
        long gone = -1;
        int maxProcesses = 0;
        long polls = 0;
        long firstPollNanos = -1;
        long lastPollNanos = -1;
        long maxGap = 0;
        long prevMicros = -1;
        long prevRss = 0;
        long nextDiscovery = 0;
        long next = System.nanoTime();
        boolean seen = false;
        while (!stopRequested && System.nanoTime() < deadline) {
            long nowNanos = System.nanoTime();
            if (nowNanos >= nextDiscovery) {
                for (long root : roots) {
                    for (long pid : Proc.tree(root)) {
                        if (!tracked.containsKey(pid)) {
                            Proc.OpenFile f = Proc.OpenFile.open(Path.of("/proc", Long.toString(pid), "statm"));
                            if (f != null) {
                                tracked.put(pid, f);
                            }
                        }
                    }
                }
                nextDiscovery = nowNanos + REDISCOVER_MILLIS * 1_000_000L;
            }
            long micros = nowMicros();
            long t = System.nanoTime();
            long pages = 0;
            for (Iterator<Map.Entry<Long, Proc.OpenFile>> it = tracked.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Proc.OpenFile> e = it.next();
                long p = e.getValue().secondNumber();
                if (p < 0) {
                    e.getValue().close();
                    it.remove();
                } else {
                    pages += p;
                }
            }
            long rss = pages * Proc.pageSize();
            currentRss = rss;
            polls++;
            if (lastPollNanos >= 0) {
                maxGap = Math.max(maxGap, t - lastPollNanos);
            } else {
                firstPollNanos = t;
            }
            lastPollNanos = t;
            maxProcesses = Math.max(maxProcesses, tracked.size());
            if (rss > 0) {
                seen = true;
            }
            if (rss > peak) {
                peak = rss;
                peakAt = micros;
            }
            if (crossing < 0 && rss > limitBytes) {
                firstAbove = micros;
                lastBelow = prevMicros;
                if (prevMicros >= 0 && rss > prevRss) {
                    double f = (double) (limitBytes - prevRss) / (rss - prevRss);
                    crossing = prevMicros + Math.round(f * (micros - prevMicros));
                } else {
                    crossing = micros;
                }
            }
            prevMicros = micros;
            prevRss = rss;
            if (seen && rss == 0) {
                // Every process exited (or is a zombie waiting to be reaped: statm reads all zeros).
                gone = micros;
                break;
            }
            next += pollNanos;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            } else {
                next = System.nanoTime();
            }
        }
        tracked.values().forEach(Proc.OpenFile::close);
        double mean = polls > 1 ? (lastPollNanos - firstPollNanos) / 1000.0 / (polls - 1) : 0;
        return new Result(roots.get(0), crossing, firstAbove, lastBelow, peak, peakAt, gone, maxProcesses, polls,
                mean, maxGap / 1000, null);
    }

    private List<Long> findRoots() {
        List<Long> kids = Proc.children(guardianPid);
        List<Long> leaders = new ArrayList<>();
        for (long k : kids) {
            if ((shape == Shape.ALL_CHILDREN || Proc.pgid(k) == k) && rootFilter.test(k)) {
                leaders.add(k);
            }
        }
        return leaders;
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2) {
            System.err.println("usage: java bench/Observer.java GUARDIAN_PID LIMIT_MIB [group|all]");
            System.exit(2);
        }
        long pid = Long.parseLong(args[0]);
        long limit = Long.parseLong(args[1]) << 20;
        Shape shape = args.length > 2 && args[2].equals("all") ? Shape.ALL_CHILDREN : Shape.GROUP_LEADER;
        Observer o = new Observer(pid, shape, limit, 1_000_000L, TimeUnit.HOURS.toNanos(1)).start();
        Result r = o.await(1, TimeUnit.HOURS);
        System.out.println(r);
    }
}
