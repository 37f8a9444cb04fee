package dev.sentinel.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Every problem found in one file. A value of [defaults] is read once for each program (and a
 * program once per instance), so the same problem is kept once.
 */
final class Problems {

    private final Path file;
    private final Set<ConfigProblem> found = new LinkedHashSet<>();
    private int reported;

    Problems(Path file) {
        this.file = file;
    }

    void add(int line, String key, String message) {
        found.add(new ConfigProblem(file, line, key, message));
        reported++;
    }

    /** How many problems were reported so far, repeats included: a reader compares two counts. */
    int reported() {
        return reported;
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** In the file's order: problems without a line first, then by line (the order found within one). */
    List<ConfigProblem> inFileOrder() {
        List<ConfigProblem> list = new ArrayList<>(found);
        list.sort(Comparator.comparingInt(ConfigProblem::line));
        return list;
    }

    ConfigException exception() {
        return new ConfigException(inFileOrder());
    }
}
