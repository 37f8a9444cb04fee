package dev.sentinel.cli;

import dev.sentinel.control.ControlSettings;
import dev.sentinel.core.GuardianConfig;
import dev.sentinel.core.MemoryLimit;
import dev.sentinel.metrics.MetricsSettings;
import dev.sentinel.tui.TuiMode;
import dev.sentinel.tui.UiSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sentinel [OPTIONS] [--] COMMAND [ARGS...]}: the options, turned into a run. */
@Command(name = "sentinel",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        headerHeading = "",
        header = "Guards the memory of a whole process tree: starts COMMAND, samples the resident memory of it "
                + "and every process it forks, and when the tree crosses the limit stops it in tiers "
                + "(SIGTERM, a grace period, then SIGKILL).",
        synopsisHeading = "%nUsage: ",
        customSynopsis = {"sentinel [OPTIONS] [--] COMMAND [ARGS...]",
                "       sentinel ctl [--socket PATH] REQUEST...   (ask or order a running Sentinel; 'ctl help')"},
        descriptionHeading = "%n",
        description = "Options end at the first word that is not an option, so 'sentinel python3 app.py --port 80' "
                + "needs no '--'. Every option can also be set by the environment variable shown beside it.",
        optionListHeading = "%nOptions:%n",
        footerHeading = "%n",
        footer = {"Sizes: 512M, 1.5G, 200MiB, 300m, 1048576 (bytes); K/M/G/T are binary (x1024). "
                + "Durations: 3s, 500ms, 2m, 1.5s; a bare number is seconds.",
                "Exit status: the program's own; 128+N if signal N ended it; 2 for bad usage; "
                        + "126 if COMMAND cannot be run, 127 if it is not found."})
public final class SentinelCommand implements Callable<Integer> {

    @Option(names = {"-m", "--memory-limit"}, paramLabel = "SIZE", converter = Converters.Limit.class,
            defaultValue = "${env:SENTINEL_MEMORY_LIMIT:-512M}",
            description = "Limit on the resident memory (RSS) of the whole tree, or 'none' to only watch. "
                    + "(env SENTINEL_MEMORY_LIMIT, default ${DEFAULT-VALUE})")
    MemoryLimit limit;

    @Option(names = {"-g", "--grace"}, paramLabel = "DURATION", converter = Converters.Grace.class,
            defaultValue = "${env:SENTINEL_GRACE:-3s}",
            description = "Time between SIGTERM and SIGKILL. (env SENTINEL_GRACE, default ${DEFAULT-VALUE})")
    Duration grace;

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", converter = Converters.Interval.class,
            defaultValue = "${env:SENTINEL_INTERVAL:-250ms}",
            description = "Slowest sampling interval; Sentinel samples faster as the tree nears its limit. "
                    + "(env SENTINEL_INTERVAL, default ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", defaultValue = "${env:SENTINEL_NAME}",
            description = "Display name. (env SENTINEL_NAME, default: the command's base name)")
    String name;

    @Option(names = {"-s", "--socket"}, paramLabel = "PATH", defaultValue = "${env:SENTINEL_SOCKET}",
            description = "Control socket path. (env SENTINEL_SOCKET, default /tmp/sentinel.socket, or "
                    + "/tmp/sentinel-<pid>.socket when another Sentinel holds the default)")
    Path socket;

    @Option(names = "--no-socket", description = "Run without a control socket.")
    boolean noSocket;

    @Option(names = "--socket-mode", paramLabel = "MODE", defaultValue = "${env:SENTINEL_SOCKET_MODE:-0600}",
            description = "File mode of the socket, in octal; 0660 with --socket-group opens it to a group. "
                    + "(env SENTINEL_SOCKET_MODE, default ${DEFAULT-VALUE})")
    String socketMode;

    @Option(names = "--socket-group", paramLabel = "GROUP", defaultValue = "${env:SENTINEL_SOCKET_GROUP}",
            description = "Group that owns the socket; its members may connect when --socket-mode allows. "
                    + "(env SENTINEL_SOCKET_GROUP)")
    String socketGroup;

    @Option(names = {"-p", "--metrics-port"}, paramLabel = "PORT", defaultValue = "${env:SENTINEL_METRICS_PORT:-8000}",
            description = "Port of the Prometheus endpoint (/metrics); 0 picks a free one. "
                    + "(env SENTINEL_METRICS_PORT, default ${DEFAULT-VALUE})")
    int metricsPort;

    @Option(names = "--metrics-host", paramLabel = "ADDR", defaultValue = "${env:SENTINEL_METRICS_HOST:-0.0.0.0}",
            description = "Address the metrics endpoint listens on. (env SENTINEL_METRICS_HOST, default "
                    + "${DEFAULT-VALUE}: all interfaces)")
    String metricsHost;

    @Option(names = "--no-metrics", description = "Serve no metrics.")
    boolean noMetrics;

    @Option(names = "--tui", paramLabel = "WHEN", defaultValue = "${env:SENTINEL_TUI:-auto}",
            converter = Converters.Tui.class,
            description = "auto: the live dashboard when stdout is a terminal, log lines otherwise; always; never. "
                    + "(env SENTINEL_TUI, default ${DEFAULT-VALUE})")
    TuiMode tui;

    @Option(names = "--no-tui", description = "Same as --tui never.")
    boolean noTui;

    @Option(names = "--log-file", paramLabel = "FILE", defaultValue = "${env:SENTINEL_LOG_FILE}",
            description = "With the dashboard, also write the program's output to FILE. (env SENTINEL_LOG_FILE)")
    Path logFile;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The program to guard and its arguments.")
    List<String> command;

    @Override
    public Integer call() {
        String display = name == null || name.isBlank() ? Path.of(command.get(0)).getFileName().toString() : name;
        int mode;
        try {
            mode = Integer.parseInt(socketMode, 8);
            if (mode < 0 || mode > 0777) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            System.err.println("sentinel: --socket-mode '" + socketMode + "' is not a file mode; use octal like 0600 or 0660.");
            return 2;
        }
        if (metricsPort < 0 || metricsPort > 65535) {
            System.err.println("sentinel: --metrics-port " + metricsPort + " is not a port; use 0 to 65535.");
            return 2;
        }
        Settings settings = new Settings(
                new GuardianConfig(display, command, limit, grace, interval),
                new ControlSettings(!noSocket, socket == null ? ControlSettings.DEFAULT_PATH : socket, socket != null,
                        mode, socketGroup),
                new MetricsSettings(!noMetrics, metricsHost, metricsPort),
                new UiSettings(noTui ? TuiMode.NEVER : tui, logFile));
        return new SentinelRun(settings).run();
    }
}
