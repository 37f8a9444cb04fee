import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenarios 1 and 2, and the reaction half of "1000 idle connections": a leaker against a
 * 200 MiB limit, watched by the {@link Observer}; reaction = the leaker's SIGTERM stamp minus
 * the observer's crossing time, overshoot = peak tree RSS minus the limit.
 *
 * <p>{@code java -cp CLASSES Reaction what=reaction|spike|held runs=N ...}
 */
final class Reaction {

    static final long LIMIT_MIB = 200;
    private static final Pattern STAMP = Pattern.compile("SIGTERM at (\\d+)");

    private final Bench bench;

    private Reaction(Bench bench) {
        this.bench = bench;
    }

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench(args);
        Reaction r = new Reaction(bench);
        String what = bench.args.getOrDefault("what", "reaction");
        int runs = bench.intArg("runs", bench.quick ? (what.equals("reaction") ? 1 : 2) : 5);
        switch (what) {
            case "reaction" -> {
                for (int i = 0; i < runs; i++) {
                    r.calibrate();
                }
                String[] speeds = bench.args.getOrDefault("speeds", "20,100,400").split(",");
                for (String s : speeds) {
                    int speed = Integer.parseInt(s);
                    for (int i = 0; i < runs; i++) {
                        for (String subject : List.of("sentinel", "reference")) {
                            r.leakRun("reaction", subject, Integer.toString(speed), 0, phase(i, runs),
                                    "--leak", Integer.toString(speed), "--max", "1G");
                        }
                    }
                }
            }
            case "spike" -> {
                for (int i = 0; i < runs; i++) {
                    for (String subject : List.of("sentinel", "reference")) {
                        r.leakRun("spike", subject, "300", 0, phase(i, runs), "--spike", "300M", "--spike-after", "2s");
                    }
                }
            }
            case "held" -> {
                int held = bench.intArg("held", 1000);
                for (int i = 0; i < runs; i++) {
                    r.leakRun("held", "sentinel", "100", held, phase(i, runs), "--leak", "100", "--max", "1G");
                }
            }
            default -> throw new IllegalArgumentException("unknown what=" + what);
        }
        bench.cleanup();
    }

    /**
     * How much of a reaction figure is the leaker's own: this JVM sends SIGTERM straight to an
     * idle leaker (kill(2) through ProcessHandle.destroy) and compares the leaker's stamp with the
     * time just before the send. That is signal delivery plus the JVM's dispatch of the signal to
     * the leaker's handler thread.
     */
    private void calibrate() throws Exception {
        Path term = bench.tmpFile("calibrate-term");
        Path log = bench.tmpFile("calibrate.log");
        List<String> cmd = new ArrayList<>(bench.leaker("--term-file", term.toString()));
        Process leaker = bench.start(cmd, log, Map.of());
        try {
            if (Bench.awaitLog(log, Pattern.compile("started"), 20_000) == null) {
                bench.note("calibration", "leaker", "", "the leaker did not start; see " + log);
                return;
            }
            Thread.sleep(300); // let the JVM finish starting up, as the leak runs' leakers have
            long sent = Observer.nowMicros();
            leaker.destroy();
            leaker.waitFor(10, TimeUnit.SECONDS);
            Matcher m = STAMP.matcher(Bench.readOrEmpty(term));
            if (m.find()) {
                double ms = (Long.parseLong(m.group(1)) - sent) / 1000.0;
                bench.record("calibration", "leaker", "", "stamp_latency_ms", ms);
                Bench.progress(String.format(java.util.Locale.ROOT, "calibration: kill(SIGTERM) -> leaker's stamp %.2f ms", ms));
            }
        } finally {
            Bench.kill(leaker);
        }
    }

    /** One guarded leak, observed from outside; records reaction and overshoot. */
    /**
     * The delay before the leaker starts in run {@code i} of {@code n}: spread evenly over one
     * reference poll period (0.5 s, two of Sentinel's base intervals). Without it, the leak and
     * the guardian's poll schedule both start with the child, the crossing falls at nearly the
     * same phase of the schedule in every run, and a poller's figures cluster at one arbitrary
     * value instead of spreading over what its period allows.
     */
    static long phase(int i, int n) {
        return Math.round((i + 0.5) / n * 500);
    }

    private void leakRun(String scenario, String subject, String param, int held, long delayMillis,
                         String... leakerOptions) throws Exception {
        Path term = bench.tmpFile("term");
        Path log = bench.tmpFile(scenario + "-" + subject + ".log");
        Path socket = bench.tmpFile("s.sock");
        // sh sleeps, then execs the leaker in place: same pid, so the guardians see one process.
        List<String> leaker = new ArrayList<>(List.of("sh", "-c", "sleep \"$0\"; exec \"$@\"",
                String.format(java.util.Locale.ROOT, "%.3f", delayMillis / 1000.0)));
        leaker.addAll(bench.leaker(leakerOptions));
        leaker.addAll(List.of("--term-file", term.toString()));
        boolean isSentinel = subject.equals("sentinel");
        Process guardian = isSentinel
                ? bench.sentinel(List.of("--no-tui", "--socket", socket.toString(), "-p", "0",
                        "-m", LIMIT_MIB + "M"), leaker, log, Map.of())
                : bench.reference(LIMIT_MIB, leaker, log);
        long limit = LIMIT_MIB * Bench.MIB;
        Observer observer = new Observer(guardian.pid(),
                isSentinel ? Observer.Shape.GROUP_LEADER : Observer.Shape.ALL_CHILDREN, limit, 1_000_000L,
                TimeUnit.SECONDS.toNanos(40)).start();
        IdleConnections idle = null;
        Observer.Result r;
        try {
            if (held > 0) {
                if (!Bench.awaitFile(socket, 10_000)) {
                    throw new IllegalStateException("Sentinel's socket " + socket + " never appeared; see " + log);
                }
                idle = new IdleConnections(socket, held);
                if (!idle.awaitOpen(10_000)) {
                    bench.note(scenario, subject, param, "only " + idle.open() + " of " + held + " connections opened");
                }
                if (observer.currentRss() > limit * 3 / 4) {
                    bench.note(scenario, subject, param, "the connections were opened late, at "
                            + (observer.currentRss() >> 20) + " MiB");
                }
                while (!observer.finished() && observer.currentRss() <= limit) {
                    Thread.sleep(1);
                }
                bench.record(scenario, subject, param, "held_open_at_crossing", idle.open());
            }
            r = observer.await(45, TimeUnit.SECONDS);
            if (isSentinel) {
                guardian.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            if (idle != null) {
                idle.close();
            }
            // The reference sleeps its 3 s grace after SIGTERM; its figures are already taken.
            Bench.kill(guardian);
        }
        Matcher m = STAMP.matcher(Bench.readOrEmpty(term));
        String run = scenario + " " + subject + " " + param;
        if (r == null || r.error() != null) {
            bench.note(scenario, subject, param, "observer failed: " + (r == null ? "timeout" : r.error()));
            Bench.progress(run + ": observer failed");
            return;
        }
        if (r.crossingMicros() < 0) {
            bench.note(scenario, subject, param, "the tree never crossed the limit (peak "
                    + (r.peakBytes() >> 20) + " MiB); see " + log);
            Bench.progress(run + ": no crossing");
            return;
        }
        double overshoot = (double) (r.peakBytes() - limit) / Bench.MIB;
        bench.record(scenario, subject, param, "overshoot_mib", overshoot);
        bench.record(scenario, subject, param, "poll_mean_us", r.meanPollMicros());
        bench.record(scenario, subject, param, "poll_gap_max_us", r.maxGapMicros());
        bench.record(scenario, subject, param, "crossing_gap_us", r.firstAboveMicros() - r.lastBelowMicros());
        if (!m.find()) {
            bench.note(scenario, subject, param, "no SIGTERM reached the leaker (tree gone without one?); see " + log);
            Bench.progress(run + ": no SIGTERM stamp");
            return;
        }
        long stamp = Long.parseLong(m.group(1));
        double reaction = (stamp - r.crossingMicros()) / 1000.0;
        bench.record(scenario, subject, param, "reaction_ms", reaction);
        Bench.progress(String.format(java.util.Locale.ROOT,
                "%-8s %-9s %3s: crossing->SIGTERM %7.1f ms, overshoot %6.1f MiB (polls: mean %.0f us, at crossing %d us,"
                        + " max %d us)", scenario, subject, param, reaction, overshoot, r.meanPollMicros(),
                r.firstAboveMicros() - r.lastBelowMicros(), r.maxGapMicros()));
    }
}
