package dev.sentinel.settings;

import dev.sentinel.platform.cgroup.CgroupMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The settings of Sentinel itself, each declared once (see {@link Option}). On the command line or
 * by its variable one wins over the file's {@code [sentinel]}, which wins over the default. The
 * order is the help's and the options table's; the keys keep the order of the sentences a reload
 * says about them.
 */
public final class SentinelOptions {

    /** What a file's {@code socket} takes: it is a path, or false (read by config/ by hand). */
    public static final String SOCKET_ACCEPTED = "a path like \"/tmp/sentinel.socket\", or false for no socket";

    /** Neither a program's nor Sentinel's setting, but the file both come from. */
    public static final Option<Path> CONFIG = Option.sentinel(null, new PathType("a file", "a TOML file"))
            .option("FILE", "-c", "--config").env("SENTINEL_CONFIG")
            .help("Guard the programs of a TOML config file instead of one COMMAND; the program's options then "
                    + "belong in the file. A COMMAND given wins over `SENTINEL_CONFIG`, and is a usage error with "
                    + "`--config`.")
            .seeAlso("[config.md](config.md)").build();
    /** In a file also {@code false}, which is {@link #NO_SOCKET}. */
    public static final Option<Path> SOCKET = Option.sentinel("socket", new PathType("a socket path", SOCKET_ACCEPTED))
            .option("PATH", "-s", "--socket").env("SENTINEL_SOCKET")
            .defaultText("`/tmp/sentinel.socket`, or `/tmp/sentinel-PID.socket` when another Sentinel holds it")
            .help("Control socket path; in a file, `false` runs without one.").seeAlso("[protocol.md](protocol.md)")
            .build();
    public static final Option<Boolean> NO_SOCKET = Option.sentinel(null, new BooleanType("true or false"))
            .flag("--no-socket", "true").byDefault("false").docKey("[sentinel] socket = false")
            .help("Run without a control socket.").build();
    public static final Option<Integer> SOCKET_MODE = Option.sentinel("socket_mode", new FileModeType())
            .word("MODE", "--socket-mode").env("SENTINEL_SOCKET_MODE").byDefault("0600")
            .help("File mode of the socket, in octal (in a file a string: `\"0600\"`); `0660` with a socket group "
                    + "opens it to the group.")
            .build();
    public static final Option<String> SOCKET_GROUP = Option.sentinel("socket_group",
                    new TextType("a group name", "a group name like \"sentinel\""))
            .option("GROUP", "--socket-group").env("SENTINEL_SOCKET_GROUP")
            .help("Group that owns the socket; its members may connect when the socket mode allows.").build();
    public static final Option<Boolean> METRICS = Option.sentinel("metrics",
                    new BooleanType("true, or false to serve no metrics"))
            .flag("--no-metrics", "false").byDefault("true")
            .help("Serve no metrics (in a file, `metrics = false`).").build();
    public static final Option<Integer> METRICS_PORT = Option.sentinel("metrics_port",
                    new WholeType(0, 65535, "a port", "a port from 0 to 65535 (0 picks a free one)"))
            .option("PORT", "-p", "--metrics-port").env("SENTINEL_METRICS_PORT").byDefault("8000")
            .help("Port of the Prometheus endpoint (`/metrics`), 0 to 65535; `0` picks a free one.")
            .seeAlso("[metrics.md](metrics.md)").build();
    public static final Option<String> METRICS_HOST = Option.sentinel("metrics_host", new TextType("an address",
                    "an address like \"0.0.0.0\" (all interfaces) or \"127.0.0.1\""))
            .option("ADDR", "--metrics-host").env("SENTINEL_METRICS_HOST").byDefault("0.0.0.0")
            .help("Address the metrics endpoint listens on; `0.0.0.0` is every interface.").build();
    public static final Option<Path> JOURNAL = Option.sentinel("journal",
                    new PathType("a file path", "a file path like \"sentinel.journal\""))
            .option("FILE", "--journal").env("SENTINEL_JOURNAL")
            .help("Append every lifecycle event to FILE as one JSON line (rotated at 10 MiB, 3 kept).")
            .seeAlso("[The journal](hooks.md#the-journal)").build();
    public static final Option<TuiMode> TUI = Option.sentinel("tui", new TuiType())
            .option("WHEN", "--tui").env("SENTINEL_TUI").byDefault("auto")
            .help("`auto`: the live dashboard when stdout is a terminal, log lines otherwise; `always`; `never`.")
            .seeAlso("[dashboard.md](dashboard.md)").build();
    public static final Option<Boolean> NO_TUI = Option.sentinel(null, new BooleanType("true or false"))
            .flag("--no-tui", "true").byDefault("false").help("Same as `--tui never`.").build();
    /** Read by the loop at every decision, so a reload applies it at once. */
    public static final Option<Boolean> KEEP_RUNNING = Option.sentinel("keep_running",
                    new BooleanType("true to stay up when no program runs, or false"))
            .byDefault("false")
            .help("Stay up when no program runs or waits to restart, so that `start NAME` can bring one back.")
            .build();
    public static final Option<CgroupMode> CGROUP = Option.sentinel("cgroup", new WordType<CgroupMode>(
                    CgroupMode.class, "a cgroup mode", "\"auto\", \"require\" or \"off\"") {
                @Override
                public CgroupMode parse(String word) {
                    return CgroupMode.parse(word);
                }

                @Override
                public String show(CgroupMode value) {
                    return value.label();
                }
            })
            .option("MODE", "--cgroup").env("SENTINEL_CGROUP").byDefault("auto")
            .help("`auto`: each program in a cgroup of its own where the kernel lets Sentinel have one (its tree "
                    + "cannot escape, the kernel enforces a backstop limit), `/proc` alone otherwise; `require`: "
                    + "refuse to start without one (exit 2); `off`.")
            .seeAlso("[containment.md](containment.md)").build();
    /**
     * 25s: Kubernetes' default terminationGracePeriodSeconds is 30s, after which the kubelet sends
     * SIGKILL; the 5s left are Sentinel's to kill, reap and remove its cgroups.
     */
    public static final Option<Duration> SHUTDOWN_TIMEOUT = Option.sentinel("shutdown_timeout", DurationType.POSITIVE)
            .option("DURATION", "--shutdown-timeout").env("SENTINEL_SHUTDOWN_TIMEOUT").byDefault("25s")
            .help("Budget of the whole shutdown (SIGTERM or SIGINT to Sentinel, `stop` without a name, an essential "
                    + "program's end): once it is spent, every tree left gets SIGKILL, whatever its own grace, and "
                    + "Sentinel exits. 25s fits Kubernetes' default `terminationGracePeriodSeconds` of 30s: give a "
                    + "pod this plus 5s.")
            .seeAlso("[The shutdown budget](pid1.md#the-shutdown-budget)").build();

    public static final Option<Long> CONTAINER_LIMIT = Option.sentinel("container_limit", SizeType.CONTAINER_LIMIT)
            .option("SIZE", "--container-limit").env("SENTINEL_CONTAINER_LIMIT").byDefault("auto")
            .help("The memory limit of the container the programs run in. `auto`: read from the cgroup Sentinel runs "
                    + "in (a container's entrypoint). A sidecar gives the app container's `limits.memory` here "
                    + "(the downward API's `resourceFieldRef`): percentage limits are shares of it, and the largest "
                    + "tree gets SIGKILL when the trees together near 95 % of it.")
            .seeAlso("[Sidecars](containers.md#a-sidecars-container-limit)").build();

    /** Every setting of Sentinel's, in the table's order. */
    public static final List<Option<?>> ALL = List.of(CONFIG, SOCKET, NO_SOCKET, SOCKET_MODE, SOCKET_GROUP, METRICS,
            METRICS_PORT, METRICS_HOST, JOURNAL, TUI, NO_TUI, KEEP_RUNNING, CGROUP, SHUTDOWN_TIMEOUT,
            CONTAINER_LIMIT);

    /** The keys of the {@code [sentinel]} table, in order. */
    public static final List<String> KEYS = Option.keys(ALL);

    private SentinelOptions() {
    }

    /** The option a {@code [sentinel]} key sets, or null. */
    public static Option<?> byKey(String key) {
        for (Option<?> o : ALL) {
            if (key.equals(o.key())) {
                return o;
            }
        }
        return null;
    }
}
