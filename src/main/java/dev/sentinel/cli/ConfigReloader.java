package dev.sentinel.cli;

import dev.sentinel.config.ConfigDiff;
import dev.sentinel.config.ConfigDiffer;
import dev.sentinel.config.ConfigException;
import dev.sentinel.config.ConfigLoader;
import dev.sentinel.config.ConfigProblem;
import dev.sentinel.config.SentinelConfig;
import dev.sentinel.core.ReloadPlan;
import dev.sentinel.core.Reloader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Re-reads the config file and turns the difference from the running one into a plan; the file
 * read becomes the current one once the plan is handed back (the supervisor applies it at once).
 * Runs on the loop thread: the file is small and local, and reading it there keeps one owner.
 */
final class ConfigReloader implements Reloader {

    private final Map<String, String> environment;
    private SentinelConfig current;

    ConfigReloader(SentinelConfig current, Map<String, String> environment) {
        this.current = current;
        this.environment = Map.copyOf(environment);
    }

    @Override
    public ReloadPlan plan() {
        SentinelConfig fresh;
        try {
            fresh = ConfigLoader.load(current.file(), environment);
        } catch (ConfigException e) {
            List<String> problems = new ArrayList<>();
            for (ConfigProblem p : e.problems()) {
                problems.add(p.toString());
            }
            return new ReloadPlan.Refused(problems);
        }
        ConfigDiff d = ConfigDiffer.diff(current, fresh);
        current = fresh;
        return new ReloadPlan.Apply(d.changed(), d.removed(), d.added(), d.unchanged(), d.needsRestart(),
                fresh.sentinel().keepRunning());
    }
}
