package dev.sentinel.cli;

import dev.sentinel.config.ConfigException;
import dev.sentinel.config.ConfigLoader;
import dev.sentinel.config.ConfigProblem;
import dev.sentinel.config.SentinelConfig;
import dev.sentinel.config.SentinelSection;
import dev.sentinel.control.ControlSettings;
import dev.sentinel.metrics.MetricsSettings;
import dev.sentinel.settings.TuiMode;
import dev.sentinel.tui.UiSettings;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.ParseResult;

/**
 * {@code sentinel --config FILE}: loads the file and decides Sentinel's own settings. An option
 * given on the command line or by its environment variable wins over the file's {@code [sentinel]},
 * which wins over the built-in default (as for Prometheus' flags over its file). The only class
 * of the command line that touches {@code config/}, so the single-command path never loads it.
 */
final class ConfigMode {

    private ConfigMode() {
    }

    static int run(ParseResult parsed, Path file, int cliSocketMode, int cliMetricsPort) {
        Map<String, String> environment = System.getenv();
        SentinelConfig config;
        try {
            config = ConfigLoader.load(file, environment);
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                System.err.println("sentinel: " + p);
            }
            return 2;
        }
        SentinelSection f = config.sentinel();
        Path cliSocket = CommandModels.value(parsed, "--socket");
        boolean socketFromCli = given(parsed, "--socket", "SENTINEL_SOCKET");
        Path socket = socketFromCli ? cliSocket : f.socket();
        boolean socketOn = !parsed.hasMatchedOption("--no-socket") && (f.socketEnabled() == null || f.socketEnabled());
        int mode = given(parsed, "--socket-mode", "SENTINEL_SOCKET_MODE") || f.socketMode() == null ? cliSocketMode
                : f.socketMode();
        String group = given(parsed, "--socket-group", "SENTINEL_SOCKET_GROUP") || f.socketGroup() == null
                ? CommandModels.value(parsed, "--socket-group") : f.socketGroup();
        boolean metricsOn = !parsed.hasMatchedOption("--no-metrics") && (f.metrics() == null || f.metrics());
        int port = given(parsed, "--metrics-port", "SENTINEL_METRICS_PORT") || f.metricsPort() == null
                ? cliMetricsPort : f.metricsPort();
        String host = given(parsed, "--metrics-host", "SENTINEL_METRICS_HOST") || f.metricsHost() == null
                ? CommandModels.value(parsed, "--metrics-host") : f.metricsHost();
        TuiMode tui = parsed.hasMatchedOption("--no-tui") ? TuiMode.NEVER
                : given(parsed, "--tui", "SENTINEL_TUI") || f.tui() == null ? CommandModels.value(parsed, "--tui")
                : f.tui();
        Path journal = given(parsed, "--journal", "SENTINEL_JOURNAL") || f.journal() == null
                ? CommandModels.value(parsed, "--journal") : f.journal();
        Settings settings = new Settings(config.programs(), config,
                new ControlSettings(socketOn, socket == null ? ControlSettings.DEFAULT_PATH : socket, socket != null,
                        mode, group),
                new MetricsSettings(metricsOn, host, port),
                new UiSettings(tui, null), journal,
                given(parsed, "--cgroup", "SENTINEL_CGROUP") || f.cgroup() == null
                        ? CommandModels.value(parsed, "--cgroup") : f.cgroup());
        return new SentinelRun(settings, new ConfigReloader(config, environment)).run();
    }

    /** Whether the user chose this option: on the command line or through its environment variable. */
    private static boolean given(ParseResult parsed, String option, String env) {
        String fromEnv = System.getenv(env);
        return parsed.hasMatchedOption(option) || fromEnv != null && !fromEnv.isEmpty();
    }
}
