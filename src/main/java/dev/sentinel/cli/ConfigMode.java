package dev.sentinel.cli;

import dev.sentinel.config.ConfigException;
import dev.sentinel.config.ConfigLoader;
import dev.sentinel.config.ConfigProblem;
import dev.sentinel.config.SentinelConfig;
import dev.sentinel.tui.UiSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code sentinel --config FILE}: loads the file and decides Sentinel's own settings, the command
 * line over the file's {@code [sentinel]} ({@link OwnSettings}). The only class of the command line
 * that touches {@code config/}, so the single-command path never loads it.
 */
final class ConfigMode {

    private ConfigMode() {
    }

    static int run(ParsedOptions options, Path file) {
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
        OwnSettings own = new OwnSettings(options, config.sentinel());
        Settings settings = new Settings(config.programs(), config, own.control(), own.metrics(),
                new UiSettings(own.tui(), null), own.journal(), own.cgroup(), own.shutdownTimeout(),
                own.containerLimit());
        return new SentinelRun(settings, new ConfigReloader(config, environment)).run();
    }
}
