package dev.sentinel.config;

import java.util.List;

/** A config file that cannot be used, with every problem found in it (at least one). */
public final class ConfigException extends Exception {

    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(problems.isEmpty() ? "invalid config" : problems.get(0).toString());
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a config exception needs a problem");
        }
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
