package dev.sentinel.settings;

import dev.sentinel.events.EventKind;
import dev.sentinel.platform.Signal;
import dev.sentinel.settings.Option.Setter;
import dev.sentinel.settings.ProgramSettings.Builder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one program, each declared once (see {@link Option}). A new one is a
 * declaration here, a field of {@link ProgramSettings} with its setter, and a row of the docs
 * regenerated from this table. The order is the order of the help, of the options table, and of
 * the keys a config file's sentences list.
 *
 * <p>The setters and parsers are anonymous classes, not lambdas or method references: the table is
 * built at every start, and linking a lambda's call site costs 0.1 to 0.5 ms there even when the
 * class-data archive holds its class (the table's 29 took 7 ms of a start), where a small class from
 * the archive loads in some 30 microseconds.
 */
public final class ProgramOptions {

    /** More instances than this is a typo, not a plan (each one is a process tree and a dashboard row). */
    public static final int MAX_INSTANCES = 1000;

    /** The command line's is the positional COMMAND; a file's is an array or a string that config/ splits. */
    public static final Option<List<String>> COMMAND = Option.<List<String>>program("command", null)
            .label("COMMAND [ARGS...]").defaultText("(required)")
            .help("The program to guard and its arguments; in a file an array of words (`[\"python3\", "
                    + "\"app.py\"]`) or one string split into words as a shell splits them.")
            .seeAlso("[Commands](config.md#commands)").build();
    /** In a file, the program's table key. */
    public static final Option<String> NAME = Option.program(null, new TextType("a name", "a name like \"web\""))
            .option("NAME", "-n", "--name").env("SENTINEL_NAME").docKey("[programs.NAME]")
            .defaultText("the command's base name")
            .help("Display name in lifecycle lines, the status and metrics; in a file, the program's table key.")
            .build();
    public static final Option<Path> CWD = Option.program("cwd",
                    new PathType("a directory", "a directory like \"/srv/app\" or \"app\""))
            .defaultText("Sentinel's own").help("Working directory.")
            .appliedBy(new Setter<Path>() { public void set(Builder b, Path v) { b.cwd(v); } })
            .build();
    /** A table of variables, merged variable by variable over [defaults]: config/ reads it. */
    public static final Option<Map<String, String>> ENV = Option.<Map<String, String>>program("env", null)
            .help("Table of variables set over Sentinel's environment (strings; numbers and booleans are written "
                    + "as text).").build();
    public static final Option<MemoryLimit> MEMORY_LIMIT = Option.program("memory_limit", SizeType.MEMORY_LIMIT)
            .option("SIZE", "-m", "--memory-limit").env("SENTINEL_MEMORY_LIMIT").byDefault("512M")
            .help("Limit on the resident memory (RSS) of the whole tree; a percentage (`80%`) is that share of the "
                    + "container's memory limit (of the host's memory without one); `none` only watches.")
            .appliedBy(new Setter<MemoryLimit>() { public void set(Builder b, MemoryLimit v) { b.limit(v); } })
            .build();
    public static final Option<Measure> MEASURE = Option.program("measure",
                    new WordType<Measure>(Measure.class, "a memory measure", Measure.ACCEPTED) {
                        @Override
                        public Measure parse(String word) {
                            return Measure.parse(word);
                        }

                        @Override
                        public String show(Measure value) {
                            return value.word();
                        }
                    })
            .option("MEASURE", "--measure").env("SENTINEL_MEASURE").byDefault("rss")
            .help("What the limit is compared with: `rss` (resident memory, each process's pages in full), `pss` "
                    + "(a page shared by N processes counts 1/N to each; from smaps_rollup, dearer) or `cgroup` (the "
                    + "program's cgroup working set: usage less inactive file cache; needs a cgroup).")
            .seeAlso("[Measuring memory](measure.md)")
            .appliedBy(new Setter<Measure>() { public void set(Builder b, Measure v) { b.measure(v); } })
            .build();
    public static final Option<Duration> GRACE = Option.program("grace", DurationType.ANY)
            .option("DURATION", "-g", "--grace").env("SENTINEL_GRACE").byDefault("3s")
            .help("Time between the stop signal and SIGKILL.")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.grace(v); } })
            .build();
    public static final Option<Duration> INTERVAL = Option.program("interval", DurationType.INTERVAL)
            .option("DURATION", "-i", "--interval").env("SENTINEL_INTERVAL").byDefault("250ms")
            .help("Slowest sampling interval (at least 1ms); Sentinel samples faster as the tree nears its limit.")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.interval(v); } })
            .build();
    public static final Option<Duration> TOLERATE = Option.program("tolerate", DurationType.ANY)
            .option("DURATION", "--tolerate").env("SENTINEL_TOLERATE").byDefault("0")
            .help("How long the tree may stay over the limit, sample after sample, before the first signal; a "
                    + "sample under the limit starts the count again.")
            .seeAlso("[Spike tolerance](states.md#spike-tolerance)")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.tolerate(v); } })
            .build();
    /** The one default a file changes on purpose: a file describes programs to keep up. */
    public static final Option<RestartPolicy> RESTART = Option.program("restart",
                    new WordType<RestartPolicy>(RestartPolicy.class, "a restart policy",
                            "\"never\", \"on-failure\" or \"always\"") {
                        @Override
                        public RestartPolicy parse(String word) {
                            return RestartPolicy.parse(word);
                        }
                    })
            .option("POLICY", "--restart").env("SENTINEL_RESTART").byDefault("never").inFileByDefault("on-failure")
            .help("When to start the program again: `never` (one run), `on-failure` (after a memory stop, a "
                    + "non-zero exit or a crash) or `always`.")
            .seeAlso("[Keeping a program up](states.md)")
            .appliedBy(new Setter<RestartPolicy>() {
                public void set(Builder b, RestartPolicy v) { b.restartPolicy(v); } })
            .build();
    public static final Option<Duration> RESTART_DELAY = Option.program("restart_delay", DurationType.ANY)
            .option("DURATION", "--restart-delay").env("SENTINEL_RESTART_DELAY").byDefault("1s")
            .help("Delay before a restart; doubles for each restart in a row.")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.restartDelay(v); } })
            .build();
    public static final Option<Duration> RESTART_DELAY_MAX = Option.program("restart_delay_max", DurationType.ANY)
            .option("DURATION", "--restart-delay-max").env("SENTINEL_RESTART_DELAY_MAX").byDefault("60s")
            .help("The longest delay before a restart (never below the restart delay).")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.restartDelayMax(v); } })
            .build();
    public static final Option<Duration> STABLE_AFTER = Option.program("stable_after", DurationType.ANY)
            .option("DURATION", "--stable-after").env("SENTINEL_STABLE_AFTER").byDefault("60s")
            .help("A run that stays up this long was stable: it resets the delay and the count.")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.stableAfter(v); } })
            .build();
    public static final Option<Integer> MAX_RESTARTS = Option.program("max_restarts",
                    new WholeType(0, Integer.MAX_VALUE, "a count", "a whole number like 10, or 0 to never give up"))
            .option("N", "--max-restarts").env("SENTINEL_MAX_RESTARTS").byDefault("10")
            .help("Give up (`FATAL`) after N restarts in a row that each lasted under `--stable-after`; `0` never "
                    + "gives up.")
            .appliedBy(new Setter<Integer>() { public void set(Builder b, Integer v) { b.maxRestarts(v); } })
            .build();
    public static final Option<Signal> STOP_SIGNAL = Option.program("stop_signal",
                    new WordType<Signal>(Signal.class, "a signal", StopSignals.ACCEPTED) {
                        @Override
                        public Signal parse(String word) {
                            return StopSignals.parse(word);
                        }
                    })
            .option("SIGNAL", "--stop-signal").env("SENTINEL_STOP_SIGNAL").byDefault("TERM")
            .help("First tier of every stop (a memory stop, an order, a shutdown): `TERM`, `INT`, `HUP`, `QUIT`, "
                    + "`USR1` or `USR2`, with or without `SIG`; never `KILL`, which is always the last tier.")
            .appliedBy(new Setter<Signal>() { public void set(Builder b, Signal v) { b.stopSignal(v); } })
            .build();
    public static final Option<Integer> PRIORITY = Option.program("priority", new WholeType(Integer.MIN_VALUE,
                    Integer.MAX_VALUE, "a priority", "a whole number like 100 (lower starts first)"))
            .byDefault("999")
            .help("Lower starts first and stops last; equal priorities start together and stop in parallel.")
            .appliedBy(new Setter<Integer>() { public void set(Builder b, Integer v) { b.priority(v); } })
            .build();
    public static final Option<Boolean> AUTOSTART = Option.program("autostart",
                    new BooleanType("true, or false to wait for 'start NAME'"))
            .byDefault("true").help("`false`: the program waits for `start NAME`.")
            .appliedBy(new Setter<Boolean>() { public void set(Builder b, Boolean v) { b.autostart(v); } })
            .build();
    /** Expanded by config/ into NAME-1 ... NAME-N. */
    public static final Option<Integer> INSTANCES = Option.program("instances", new WholeType(1, MAX_INSTANCES,
                    "a number of instances", "a whole number from 1 to " + MAX_INSTANCES))
            .byDefault("1").help("1 to " + MAX_INSTANCES + "; N > 1 runs NAME-1 … NAME-N.")
            .seeAlso("[Instances](config.md#instances)").build();
    public static final Option<OutputTarget> OUTPUT = Option.program("output", new OutputType())
            .byDefault("prefix")
            .help("`prefix` (each line after the program's name, or in the dashboard's pane), `discard`, or a file "
                    + "path (appended, rotated at 10 MiB with 3 kept).")
            .seeAlso("[output](config.md#where-a-programs-output-goes)")
            .appliedBy(new Setter<OutputTarget>() { public void set(Builder b, OutputTarget v) { b.output(v); } })
            .build();
    /** The dashboard's own copy of the one program's output: wired by cli/, with no key in a file. */
    public static final Option<Path> LOG_FILE = Option.program(null,
                    new PathType("a file path", "a file path like \"app.log\""))
            .option("FILE", "--log-file").env("SENTINEL_LOG_FILE")
            .help("With the dashboard, also write the program's output to FILE.").build();
    public static final Option<KernelLimit> KERNEL_LIMIT = Option.program("kernel_limit", SizeType.KERNEL_LIMIT)
            .option("SIZE", "--kernel-limit").env("SENTINEL_KERNEL_LIMIT").byDefault("auto")
            .help("With a cgroup, the hard limit the kernel enforces even while Sentinel is slow or stopped: `auto` "
                    + "(the limit plus 10 %, at least 16 MiB more; none with a tolerance), `off`, or a size.")
            .seeAlso("[containment.md](containment.md#the-kernels-backstop-limit)")
            .appliedBy(new Setter<KernelLimit>() { public void set(Builder b, KernelLimit v) { b.kernelLimit(v); } })
            .build();
    public static final Option<Boolean> ALLOW_SWAP = Option.program("allow_swap",
                    new BooleanType("false (the default: no swap for the program's cgroup), or true to let it swap"))
            .flag("--allow-swap", "true").byDefault("false")
            .help("Let the program's cgroup swap (by default its swap is 0: a tree that swaps hides memory from an "
                    + "RSS limit).")
            .appliedBy(new Setter<Boolean>() { public void set(Builder b, Boolean v) { b.allowSwap(v); } })
            .build();
    public static final Option<String> HOOK = Option.program("hook", new TextType("a hook command",
                    "a shell command like \"curl -s -d @- https://hooks.example/sentinel\""))
            .option("COMMAND", "--hook").env("SENTINEL_HOOK")
            .help("Run COMMAND with `sh -c` for each lifecycle event (limit-crossed, signal-sent, exited, "
                    + "restart-scheduled, gave-up, kernel-oom): the event as a JSON line on its stdin and in "
                    + "`SENTINEL_*` variables; never blocks guarding.")
            .seeAlso("[Event hooks](hooks.md)")
            .appliedBy(new Setter<String>() { public void set(Builder b, String v) { b.hookCommand(v); } })
            .build();
    public static final Option<Set<EventKind>> HOOK_EVENTS = Option.program("hook_events",
                    new WordType<Set<EventKind>>(Set.class, "a list of events", HookEvents.accepted()) {
                        @Override
                        public Set<EventKind> parse(String word) {
                            return HookEvents.parse(word);
                        }

                        @Override
                        public String show(Set<EventKind> value) {
                            return HookEvents.show(value);
                        }
                    })
            .word("KINDS", "--hook-events").env("SENTINEL_HOOK_EVENTS").byDefault("all")
            .help("The events the hook runs for, comma-separated: `limit-crossed`, `signal-sent`, `exited`, "
                    + "`restart-scheduled`, `gave-up`, `kernel-oom`, or `all`.")
            .appliedBy(new Setter<Set<EventKind>>() {
                public void set(Builder b, Set<EventKind> v) { b.hookEvents(v); } })
            .build();
    public static final Option<Duration> HOOK_TIMEOUT = Option.program("hook_timeout", DurationType.HOOK_TIMEOUT)
            .option("DURATION", "--hook-timeout").env("SENTINEL_HOOK_TIMEOUT").byDefault("10s")
            .help("How long one hook run may take; then SIGTERM, 2 s later SIGKILL, to its process group.")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.hookTimeout(v); } })
            .build();

    public static final Option<String> CHECK_HTTP = Option.program("check.http", AddressType.URL)
            .option("URL", "--check-http").env("SENTINEL_CHECK_HTTP")
            .help("Health check: GET URL; it passes on a 2xx or 3xx answer within the timeout. One of "
                    + "`check.http`, `check.tcp`, `check.exec`.")
            .seeAlso("[Health checks](health.md#checks)")
            .appliedBy(new Setter<String>() { public void set(Builder b, String v) { b.checkHttp(v); } })
            .build();
    public static final Option<String> CHECK_TCP = Option.program("check.tcp", AddressType.HOST_PORT)
            .option("HOST:PORT", "--check-tcp").env("SENTINEL_CHECK_TCP")
            .help("Health check: connect to HOST:PORT; it passes when the connection is made within the timeout.")
            .appliedBy(new Setter<String>() { public void set(Builder b, String v) { b.checkTcp(v); } })
            .build();
    public static final Option<List<String>> CHECK_EXEC = Option.program("check.exec", WordsType.COMMAND)
            .option("COMMAND", "--check-exec").env("SENTINEL_CHECK_EXEC")
            .help("Health check: run COMMAND (`sh -c` for a string, the words as they are for an array); it "
                    + "passes on exit 0. At the timeout its process group is killed.")
            .appliedBy(new Setter<List<String>>() { public void set(Builder b, List<String> v) { b.checkExec(v); } })
            .build();
    public static final Option<Duration> CHECK_PERIOD = Option.program("check.period", DurationType.POSITIVE)
            .option("DURATION", "--check-period").env("SENTINEL_CHECK_PERIOD").byDefault("10s")
            .help("Time between the starts of two checks.")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.checkPeriod(v); } })
            .build();
    public static final Option<Duration> CHECK_TIMEOUT = Option.program("check.timeout", DurationType.POSITIVE)
            .option("DURATION", "--check-timeout").env("SENTINEL_CHECK_TIMEOUT").byDefault("3s")
            .help("How long one check may take; longer is a failure.")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.checkTimeout(v); } })
            .build();
    public static final Option<Integer> CHECK_THRESHOLD = Option.program("check.threshold",
                    new WholeType(1, 1000, "a count", "a whole number from 1 to 1000"))
            .option("N", "--check-threshold").env("SENTINEL_CHECK_THRESHOLD").byDefault("3")
            .help("Failures in a row that make the check failing (one pass makes it passing).")
            .appliedBy(new Setter<Integer>() { public void set(Builder b, Integer v) { b.checkThreshold(v); } })
            .build();
    public static final Option<Duration> CHECK_START_PERIOD = Option.program("check.start_period", DurationType.ANY)
            .option("DURATION", "--check-start-period").env("SENTINEL_CHECK_START_PERIOD").byDefault("0")
            .help("After each start, failures do not count for this long (until the first pass), and the check "
                    + "runs every second meanwhile, as Docker's `start-period`.")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.checkStartPeriod(v); } })
            .build();
    public static final Option<CheckLevel> CHECK_LEVEL = Option.program("check.level",
                    new WordType<CheckLevel>(CheckLevel.class, "a check level", CheckLevel.ACCEPTED) {
                        @Override
                        public CheckLevel parse(String word) {
                            return CheckLevel.parse(word);
                        }

                        @Override
                        public String show(CheckLevel value) {
                            return value.word();
                        }
                    })
            .option("LEVEL", "--check-level").env("SENTINEL_CHECK_LEVEL").byDefault("alive")
            .help("`alive`: failing means broken (see `check.on_failure`); `ready`: failing only means not ready, "
                    + "and the program runs on.")
            .appliedBy(new Setter<CheckLevel>() { public void set(Builder b, CheckLevel v) { b.checkLevel(v); } })
            .build();
    public static final Option<CheckAction> CHECK_ON_FAILURE = Option.program("check.on_failure",
                    new WordType<CheckAction>(CheckAction.class, "an on_failure action", CheckAction.ACCEPTED) {
                        @Override
                        public CheckAction parse(String word) {
                            return CheckAction.parse(word);
                        }

                        @Override
                        public String show(CheckAction value) {
                            return value.word();
                        }
                    })
            .option("ACTION", "--check-on-failure").env("SENTINEL_CHECK_ON_FAILURE").byDefault("restart")
            .help("What a failing alive-level check does: `restart` (a failure: the restart policy, backoff and "
                    + "`max_restarts` apply), `stop` (for good) or `ignore` (the event only).")
            .appliedBy(new Setter<CheckAction>() {
                public void set(Builder b, CheckAction v) { b.checkOnFailure(v); } })
            .build();
    public static final Option<Readiness> READY = Option.program("ready",
                    new WordType<Readiness>(Readiness.class, "a readiness", Readiness.ACCEPTED) {
                        @Override
                        public Readiness parse(String word) {
                            return Readiness.parse(word);
                        }

                        @Override
                        public String show(Readiness value) {
                            return value.word();
                        }
                    })
            .option("READINESS", "--ready").env("SENTINEL_READY").byDefault("started")
            .help("When the program is ready: `started` (at its start), `check` (when its check first passes) or "
                    + "`notify` (when it sends `READY=1` to `$NOTIFY_SOCKET`, as systemd's sd_notify).")
            .seeAlso("[Readiness](health.md#readiness)")
            .appliedBy(new Setter<Readiness>() { public void set(Builder b, Readiness v) { b.ready(v); } })
            .build();
    public static final Option<Duration> WATCHDOG = Option.program("watchdog", DurationType.ANY)
            .option("DURATION", "--watchdog").env("SENTINEL_WATCHDOG").byDefault("0")
            .help("With `ready = \"notify\"`: restart the program (reason `watchdog`) when no `WATCHDOG=1` came "
                    + "for this long; passed as `WATCHDOG_USEC` and `WATCHDOG_PID`. `0`: none.")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.watchdog(v); } })
            .build();
    public static final Option<Duration> READY_TIMEOUT = Option.program("ready_timeout", DurationType.ANY)
            .option("DURATION", "--ready-timeout").env("SENTINEL_READY_TIMEOUT").byDefault("0")
            .help("Restart the program as a failure (reason `ready-timeout`) when it is not ready this long after "
                    + "a start. `0`: wait for ever.")
            .appliedBy(new Setter<Duration>() { public void set(Builder b, Duration v) { b.readyTimeout(v); } })
            .build();
    public static final Option<List<String>> AFTER = Option.program("after", WordsType.NAMES)
            .help("Programs (names in this file; a name with instances means all of them) that must be ready "
                    + "before this one starts; it stops before them.")
            .seeAlso("[Start order](health.md#start-order)")
            .appliedBy(new Setter<List<String>>() { public void set(Builder b, List<String> v) { b.after(v); } })
            .build();
    public static final Option<List<String>> REQUIRES = Option.program("requires", WordsType.NAMES)
            .help("As `after`, and also: this program is stopped while one of them is down or not ready, and "
                    + "started again once they are all ready.")
            .appliedBy(new Setter<List<String>>() {
                public void set(Builder b, List<String> v) { b.requires(v); } })
            .build();
    public static final Option<Boolean> ESSENTIAL = Option.program("essential",
                    new BooleanType("true, or false (the default)"))
            .byDefault("false")
            .help("`true`: when this program ends for good (an exit nothing restarts, or `FATAL`), Sentinel stops "
                    + "the others in order and exits with its status.")
            .seeAlso("[Essential programs](health.md#essential-programs)")
            .appliedBy(new Setter<Boolean>() { public void set(Builder b, Boolean v) { b.essential(v); } })
            .build();

    /** Every program setting, in the table's order. */
    public static final List<Option<?>> ALL = List.of(COMMAND, NAME, CWD, ENV, MEMORY_LIMIT, MEASURE, GRACE, INTERVAL,
            TOLERATE, RESTART, RESTART_DELAY, RESTART_DELAY_MAX, STABLE_AFTER, MAX_RESTARTS, STOP_SIGNAL, PRIORITY,
            AUTOSTART, INSTANCES, OUTPUT, LOG_FILE, KERNEL_LIMIT, ALLOW_SWAP, HOOK, HOOK_EVENTS, HOOK_TIMEOUT,
            CHECK_HTTP, CHECK_TCP, CHECK_EXEC, CHECK_PERIOD, CHECK_TIMEOUT, CHECK_THRESHOLD, CHECK_START_PERIOD,
            CHECK_LEVEL, CHECK_ON_FAILURE, READY, WATCHDOG, READY_TIMEOUT, AFTER, REQUIRES, ESSENTIAL);

    /** The keys of a program's table in a config file, in order. */
    public static final List<String> KEYS = Option.keys(ALL);

    private ProgramOptions() {
    }
}
