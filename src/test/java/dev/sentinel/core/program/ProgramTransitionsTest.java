package dev.sentinel.core.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.sentinel.core.program.OrderResult.Outcome;
import dev.sentinel.events.Event;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.health.Probe;
import dev.sentinel.platform.health.ProbeResult;
import dev.sentinel.platform.health.Prober;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.RestartSettings;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The program's state machine, every (state, event) pair, from one table: {@link #ROWS}. Each row
 * puts a machine over pretend processes into its state, fires its event, and checks the next state
 * and the answer an order gets. The same table is rendered into docs/states.md and into
 * {@link Program}'s javadoc, and this test fails if either differs from it (run it with
 * {@code -Dsentinel.regenerate=true} to write them anew).
 */
class ProgramTransitionsTest {

    private static final long MIB = 1 << 20;
    private static final Path REPO = Path.of(System.getProperty("sentinel.repo", "."));
    private static final String BEGIN = "<!-- BEGIN GENERATED: transitions -->";
    private static final String END = "<!-- END GENERATED: transitions -->";

    /** What happens to a program: time passing, what its processes do, and the orders it gets. */
    enum On {
        TICK("tick"), EXIT("exit"), TREE_GONE("tree gone"), KERNEL_OOM("kernel OOM kill"),
        HEALTH("health verdict"), RELEASE("release"), STOP("stop"), KILL("kill"), RESTART("restart"),
        START("start");

        final String label;

        On(String label) {
            this.label = label;
        }

        boolean isOrder() {
            return ordinal() >= STOP.ordinal();
        }
    }

    /** One transition: in {@code from}, {@code event} (when {@code when}) leads to {@code to}; an order answers {@code answer}. */
    record Row(ProgramState from, On event, String when, ProgramState to, Outcome answer) {
        @Override
        public String toString() {
            return from + " " + event.label + (when.isEmpty() ? "" : " (" + when + ")") + " -> " + to;
        }
    }

    private static final String UNDER = "under the limit";
    private static final String OVER = "over the limit for the tolerance (at once without one)";
    private static final String SEEN = "a sample sees the tree";
    private static final String UNSEEN = "no sample has seen the tree yet";
    private static final String LEFT = "processes of the tree are left";
    private static final String NO_RESTART = "the policy does not restart it";
    private static final String RESTARTS = "the policy restarts it";
    private static final String USED_UP = "its restarts are used up";
    private static final String STOP_ORDERED = "a stop was ordered";
    private static final String KILL_ORDERED = "a kill was ordered";
    private static final String RESTART_ORDERED = "a restart was ordered";
    private static final String MEMORY_STOP = "a memory stop, and the policy restarts it";
    private static final String IN_GRACE = "within the grace";
    private static final String GRACE_OVER = "the grace is over";
    private static final String BEFORE_DELAY = "before the delay is over";
    private static final String DELAY_OVER = "the delay is over";
    private static final String CANNOT_RUN = "the command cannot be run";
    private static final String DELAY_OVER_CANNOT_RUN = "the delay is over, the command cannot be run";
    private static final String CHECK_FAILS = "its alive check failed threshold times (or the watchdog, the ready "
            + "timeout ran out)";
    private static final String REQUIRED_DOWN = "a program it requires went down";
    private static final String READY_NOW = "the programs it starts after are ready";

    static final List<Row> ROWS = rows();

    private static List<Row> rows() {
        List<Row> r = new ArrayList<>();
        for (ProgramState s : List.of(ProgramState.STARTING, ProgramState.RUNNING)) {
            if (s == ProgramState.STARTING) {
                r.add(row(s, On.TICK, SEEN, ProgramState.RUNNING));
                r.add(row(s, On.TICK, UNSEEN, s));
            } else {
                r.add(row(s, On.TICK, UNDER, s));
                r.add(row(s, On.TICK, OVER, ProgramState.STOPPING));
            }
            r.add(row(s, On.EXIT, LEFT, ProgramState.STOPPING));
            r.add(row(s, On.TREE_GONE, NO_RESTART, ProgramState.EXITED));
            r.add(row(s, On.TREE_GONE, RESTARTS, ProgramState.BACKOFF));
            r.add(row(s, On.TREE_GONE, USED_UP, ProgramState.FATAL));
            r.add(row(s, On.KERNEL_OOM, LEFT, ProgramState.KILLING));
            r.add(row(s, On.HEALTH, CHECK_FAILS, ProgramState.STOPPING));
            r.add(row(s, On.RELEASE, "", s));
            r.add(order(s, On.STOP, "", ProgramState.STOPPING, Outcome.DONE));
            r.add(order(s, On.KILL, "", ProgramState.KILLING, Outcome.DONE));
            r.add(order(s, On.RESTART, "", ProgramState.STOPPING, Outcome.DONE));
            r.add(order(s, On.START, "", s, Outcome.NOTHING_TO_DO));
        }
        ProgramState stopping = ProgramState.STOPPING;
        r.add(row(stopping, On.TICK, IN_GRACE, stopping));
        r.add(row(stopping, On.TICK, GRACE_OVER, ProgramState.KILLING));
        r.add(row(stopping, On.EXIT, LEFT, stopping));
        r.add(row(stopping, On.TREE_GONE, STOP_ORDERED, ProgramState.EXITED));
        r.add(row(stopping, On.TREE_GONE, RESTART_ORDERED, ProgramState.STARTING));
        r.add(row(stopping, On.TREE_GONE, MEMORY_STOP, ProgramState.BACKOFF));
        r.add(row(stopping, On.TREE_GONE, REQUIRED_DOWN, ProgramState.WAITING));
        r.add(row(stopping, On.KERNEL_OOM, LEFT, ProgramState.KILLING));
        r.add(row(stopping, On.HEALTH, "", stopping));
        r.add(row(stopping, On.RELEASE, "", stopping));
        r.add(order(stopping, On.STOP, "", stopping, Outcome.DONE));
        r.add(order(stopping, On.KILL, "", ProgramState.KILLING, Outcome.DONE));
        r.add(order(stopping, On.RESTART, "", stopping, Outcome.DONE));
        r.add(order(stopping, On.START, "", stopping, Outcome.NOTHING_TO_DO));
        ProgramState killing = ProgramState.KILLING;
        r.add(row(killing, On.TICK, "", killing));
        r.add(row(killing, On.EXIT, LEFT, killing));
        r.add(row(killing, On.TREE_GONE, KILL_ORDERED, ProgramState.EXITED));
        r.add(row(killing, On.TREE_GONE, RESTART_ORDERED, ProgramState.STARTING));
        r.add(row(killing, On.KERNEL_OOM, LEFT, killing));
        r.add(row(killing, On.HEALTH, "", killing));
        r.add(row(killing, On.RELEASE, "", killing));
        r.add(order(killing, On.STOP, "", killing, Outcome.DONE));
        r.add(order(killing, On.KILL, "", killing, Outcome.DONE));
        r.add(order(killing, On.RESTART, "", killing, Outcome.DONE));
        r.add(order(killing, On.START, "", killing, Outcome.NOTHING_TO_DO));
        ProgramState backoff = ProgramState.BACKOFF;
        r.add(row(backoff, On.TICK, BEFORE_DELAY, backoff));
        r.add(row(backoff, On.TICK, DELAY_OVER, ProgramState.STARTING));
        r.add(row(backoff, On.TICK, DELAY_OVER_CANNOT_RUN, backoff));
        for (ProgramState s : List.of(backoff, ProgramState.EXITED, ProgramState.FATAL)) {
            if (s != backoff) {
                r.add(row(s, On.TICK, "", s));
            }
            r.add(row(s, On.EXIT, "", s));
            r.add(row(s, On.TREE_GONE, "", s));
            r.add(row(s, On.KERNEL_OOM, "", s));
            r.add(row(s, On.HEALTH, "", s));
            r.add(row(s, On.RELEASE, "", s));
            ProgramState stopped = s == backoff ? ProgramState.EXITED : s;
            Outcome stop = s == backoff ? Outcome.DONE : Outcome.NOTHING_TO_DO;
            r.add(order(s, On.STOP, "", stopped, stop));
            r.add(order(s, On.KILL, "", stopped, stop));
            r.add(order(s, On.RESTART, "", ProgramState.STARTING, Outcome.DONE));
            r.add(order(s, On.RESTART, CANNOT_RUN, ProgramState.FATAL, Outcome.REFUSED));
            r.add(order(s, On.START, "", ProgramState.STARTING, Outcome.DONE));
            r.add(order(s, On.START, CANNOT_RUN, ProgramState.FATAL, Outcome.REFUSED));
        }
        ProgramState waiting = ProgramState.WAITING;
        for (On e : List.of(On.TICK, On.EXIT, On.TREE_GONE, On.KERNEL_OOM, On.HEALTH)) {
            r.add(row(waiting, e, "", waiting));
        }
        r.add(row(waiting, On.RELEASE, READY_NOW, ProgramState.STARTING));
        r.add(order(waiting, On.STOP, "", ProgramState.EXITED, Outcome.DONE));
        r.add(order(waiting, On.KILL, "", ProgramState.EXITED, Outcome.DONE));
        r.add(order(waiting, On.RESTART, "", ProgramState.STARTING, Outcome.DONE));
        r.add(order(waiting, On.START, "", ProgramState.STARTING, Outcome.DONE));
        return List.copyOf(r);
    }

    private static Row row(ProgramState from, On event, String when, ProgramState to) {
        return new Row(from, event, when, to, null);
    }

    private static Row order(ProgramState from, On event, String when, ProgramState to, Outcome answer) {
        return new Row(from, event, when, to, answer);
    }

    static Stream<Row> rowsToDrive() {
        return ROWS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rowsToDrive")
    void eachRowIsWhatTheMachineDoes(Row row) throws LaunchException {
        Machine m = new Machine(row.when().equals(USED_UP) ? 1 : 10);
        m.putIn(row.from(), row.when());
        assertEquals(row.from(), m.program.state(), "the fixture reached " + row.from());
        OrderResult answer = m.fire(row.event(), row.when());
        assertEquals(row.to(), m.program.state(), row + "; events: " + m.events);
        if (row.event().isOrder()) {
            assertEquals(row.answer(), answer.outcome(), row + ": " + answer.message());
        }
    }

    @Test
    void everyStateMeetsEveryEventInTheTable() {
        Set<String> missing = new TreeSet<>();
        for (ProgramState s : ProgramState.values()) {
            for (On e : On.values()) {
                if (ROWS.stream().noneMatch(r -> r.from() == s && r.event() == e)) {
                    missing.add(s + " " + e.label);
                }
            }
        }
        assertEquals(Set.of(), missing);
    }

    @Test
    void docsStatesMdHasTheTable() throws IOException {
        checkGenerated(REPO.resolve("docs/states.md"), markdown());
    }

    @Test
    void programsJavadocHasTheTable() throws IOException {
        checkGenerated(REPO.resolve("src/main/java/dev/sentinel/core/program/Program.java"), javadoc());
    }

    // ---- rendering: rows that differ only in their state share a line

    /** Rows grouped by what they say apart from the state they start in ("the same" when they stay). */
    private static Map<List<String>, List<ProgramState>> grouped() {
        Map<List<String>, List<ProgramState>> groups = new LinkedHashMap<>();
        for (Row r : ROWS) {
            List<String> key = List.of(r.event().label, r.when(), r.to() == r.from() ? "the same" : r.to().name(),
                    r.answer() == null ? "" : r.answer().name().toLowerCase(Locale.ROOT).replace('_', ' '));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(r.from());
        }
        return groups;
    }

    static String markdown() {
        StringBuilder b = new StringBuilder("| state | event | when | next state | answer |\n|---|---|---|---|---|\n");
        grouped().forEach((k, states) -> b.append("| ").append(names(states)).append(" | ").append(k.get(0))
                .append(" | ").append(k.get(1)).append(" | ").append(k.get(2)).append(" | ").append(k.get(3))
                .append(" |\n"));
        return b.toString();
    }

    static String javadoc() {
        StringBuilder b = new StringBuilder(" * <table>\n * <caption>transitions</caption>\n"
                + " * <tr><th>state</th><th>event</th><th>when</th><th>next</th><th>answer</th></tr>\n");
        grouped().forEach((k, states) -> b.append(" * <tr><td>").append(names(states)).append("</td><td>")
                .append(k.get(0)).append("</td><td>").append(k.get(1)).append("</td><td>").append(k.get(2))
                .append("</td><td>").append(k.get(3)).append("</td></tr>\n"));
        return b.append(" * </table>\n").toString();
    }

    private static String names(List<ProgramState> states) {
        return String.join(", ", states.stream().map(Enum::name).toList());
    }

    /** The block between the markers in {@code file} must be {@code text}; with sentinel.regenerate it is written. */
    private static void checkGenerated(Path file, String text) throws IOException {
        String content = Files.readString(file);
        boolean java = file.toString().endsWith(".java");
        String begin = (java ? " * " : "") + BEGIN + "\n";
        String end = (java ? " * " : "") + END;
        int i = content.indexOf(begin);
        int j = content.indexOf(end);
        assertTrue(i >= 0 && j > i, file + " has no " + BEGIN + " ... " + END + " block");
        String now = content.substring(i + begin.length(), j);
        if (now.equals(text)) {
            return;
        }
        if (Boolean.getBoolean("sentinel.regenerate")) {
            Files.writeString(file, content.substring(0, i + begin.length()) + text + content.substring(j));
            return;
        }
        fail(file + ": the transitions table differs from ProgramTransitionsTest.ROWS; regenerate it with "
                + "mvn -q -Dtest=ProgramTransitionsTest -Dsentinel.regenerate=true test\nexpected:\n" + text
                + "\nfound:\n" + now);
    }

    // ---- the machine under test

    /** Checks that wait until the test says how they went. */
    private static final class HeldChecks implements Prober {
        Consumer<ProbeResult> pending;

        @Override
        public void run(Probe probe, Duration timeout, Consumer<ProbeResult> done) {
            pending = done;
        }

        void fail() {
            Consumer<ProbeResult> d = pending;
            pending = null;
            if (d != null) {
                d.accept(new ProbeResult(false, "HTTP 500", 1));
            }
        }
    }

    /** A program over a pretend tree of two processes (the main one and a child) in a pretend cgroup. */
    private static final class Machine {
        final FakeClock clock = new FakeClock();
        final FakeTree tree = new FakeTree();
        final FakeCgroup cgroup = new FakeCgroup(tree);
        final List<Event> events = new ArrayList<>();
        final HeldChecks checks = new HeldChecks();
        final Program program;

        Machine(int maxRestarts) {
            RestartSettings restart = new RestartSettings(RestartPolicy.ON_FAILURE, Duration.ofSeconds(1),
                    Duration.ofSeconds(60), Duration.ofSeconds(60), maxRestarts);
            ProgramSettings settings = ProgramSettings.builder("app", List.of("app")).limit(new MemoryLimit(100 * MIB))
                    .grace(Duration.ofSeconds(3)).restart(restart).checkExec(List.of("true"))
                    .checkPeriod(Duration.ofMillis(100)).checkThreshold(1).requires(List.of("db")).build();
            // A jitter of 0.5 is none: the backoff delay is exactly 1 s.
            program = new Program(settings, tree, LaunchSpec.passThrough(List.of("app")), tree, tree,
                    SamplingPolicy.fixed(Duration.ofMillis(250).toNanos()), clock, events::add, () -> { }, () -> 0.5,
                    cgroup, new HealthLinks(checks, null, null));
        }

        /** Brings the program into {@code state}, as {@code when} needs it. */
        void putIn(ProgramState state, String when) throws LaunchException {
            switch (state) {
                case STARTING -> {
                    if (when.equals(USED_UP)) {
                        failOnce();
                    }
                    tree.hide(true);
                    if (program.run() == 0) {
                        program.start();
                    } else {
                        after(1_500);
                    }
                    withChild();
                }
                case RUNNING -> {
                    if (when.equals(USED_UP)) {
                        failOnce();
                        after(1_500);
                        withChild();
                    } else {
                        running();
                    }
                }
                case WAITING -> program.hold("db to be ready");
                case STOPPING -> {
                    running();
                    if (when.equals(REQUIRED_DOWN)) {
                        program.onStop(StopReason.REQUIRED);
                    } else if (when.equals(MEMORY_STOP)) {
                        tree.setMainRss(200 * MIB);
                        after(250);
                    } else if (when.equals(RESTART_ORDERED)) {
                        program.onRestart();
                    } else {
                        program.onStop(StopReason.STOP);
                    }
                }
                case KILLING -> {
                    running();
                    program.onKill(StopReason.KILL);
                    if (when.equals(RESTART_ORDERED)) {
                        program.onRestart();
                    }
                }
                case BACKOFF -> {
                    running();
                    tree.everythingExits(1);
                    after(10);
                }
                case EXITED -> {
                    running();
                    tree.everythingExits(0);
                    after(10);
                }
                case FATAL -> {
                    tree.failLaunches(1);
                    program.startOrGiveUp();
                }
            }
        }

        /** Fires {@code event}; returns an order's answer (null for the rest). */
        OrderResult fire(On event, String when) {
            if (when.equals(CANNOT_RUN) || when.equals(DELAY_OVER_CANNOT_RUN)) {
                tree.failLaunches(1);
            } else if (event == On.START || event == On.RESTART || event == On.RELEASE || when.equals(DELAY_OVER)
                    || when.equals(RESTART_ORDERED)) {
                // A new run stays STARTING until a sample sees its tree: here none does.
                tree.hide(true);
            }
            switch (event) {
                case TICK -> {
                    switch (when) {
                        case SEEN -> tree.hide(false);
                        case OVER -> tree.setMainRss(200 * MIB);
                        default -> {
                        }
                    }
                    long millis = switch (when) {
                        case GRACE_OVER -> 3_000;
                        case DELAY_OVER, DELAY_OVER_CANNOT_RUN -> 1_500;
                        default -> 250;
                    };
                    after(millis);
                }
                case EXIT -> {
                    tree.mainExits(1);
                    after(10);
                }
                case TREE_GONE -> {
                    tree.everythingExits(when.equals(RESTARTS) || when.equals(USED_UP) ? 1 : 0);
                    after(10);
                }
                case KERNEL_OOM -> {
                    cgroup.oomKills++;
                    cgroup.spoke = true;
                    tree.removeProcess(CHILD);
                    // A victim the samples cannot name (a tree no sample has seen) is reported 100 ms on.
                    for (int i = 0; i < 15; i++) {
                        after(10);
                    }
                }
                case HEALTH -> {
                    // The check runs 100 ms after a start; it fails, and the next tick acts on it.
                    for (int i = 0; i < 30; i++) {
                        after(10);
                        checks.fail();
                    }
                }
                case RELEASE -> {
                    program.release();
                    after(10);
                }
                case STOP -> {
                    return program.onStop(StopReason.STOP);
                }
                case KILL -> {
                    return program.onKill(StopReason.KILL);
                }
                case RESTART -> {
                    return program.onRestart();
                }
                case START -> {
                    return program.onStart();
                }
            }
            return null;
        }

        private static final long CHILD = 99_999;

        private void running() throws LaunchException {
            program.start();
            withChild();
            after(250);
        }

        /** One run that failed, and the restart it waits for. */
        private void failOnce() throws LaunchException {
            running();
            tree.everythingExits(1);
            after(10);
        }

        private void withChild() {
            tree.addProcess(CHILD, tree.mainPid(), MIB);
        }

        /** {@code millis} pass, the machine ticking every 10 ms. */
        private void after(long millis) {
            for (long t = 0; t < millis; t += 10) {
                clock.advanceMillis(Math.min(10, millis - t));
                program.onTick();
            }
        }
    }
}
