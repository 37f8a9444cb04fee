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
 * read becomes the current one once the supervisor has applied the plan. {@link #plan()} runs on
 * the supervisor's reload thread, {@link #applied} on the loop: the hand-over is a volatile field.
 */
final class ConfigReloader implements Reloader {

    private final Map<String, String> environment;
    private volatile SentinelConfig current;
    /**
     * The file the last plan came from, until the loop applies it. One field is enough: the
     * supervisor asks for the next plan only once the last one is applied or refused.
     */
    private volatile SentinelConfig planned;

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
        ReloadPlan.Apply plan = new ReloadPlan.Apply(d.changed(), d.removed(), d.added(), d.unchanged(),
                d.needsRestart(), fresh.sentinel().keepRunning());
        planned = fresh;
        return plan;
    }

    @Override
    public void applied(ReloadPlan.Apply plan) {
        SentinelConfig fresh = planned;
        if (fresh != null) {
            current = fresh;
            planned = null;
        }
    }
}
