package dev.sentinel.config;

import dev.sentinel.settings.ProgramOptions;
import dev.sentinel.settings.ProgramSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The start order of a file's programs: {@code after} and {@code requires} name programs of the
 * same file (a name with instances stands for all of them), never the program itself, and never in
 * a circle. Names are expanded to the instances they stand for, so the settings the supervisor
 * gets name programs as it knows them. Each problem is reported at the key that made it.
 */
final class Dependencies {

    private final Values values;

    Dependencies(Values values) {
        this.values = values;
    }

    /** A program as read, with the keys it was read from (for the lines of problems). */
    record Read(ProgramSettings settings, String table, Map<String, Setting> keys) {
    }

    /**
     * The programs with their {@code after} and {@code requires} expanded, or with problems reported.
     *
     * @param groups each table's name and the instance names it stands for, in the file's order
     */
    List<ProgramSettings> resolve(List<Read> programs, Map<String, List<String>> groups) {
        Set<String> instances = new LinkedHashSet<>();
        groups.values().forEach(instances::addAll);
        List<ProgramSettings> out = new ArrayList<>(programs.size());
        Map<String, List<String>> edges = new LinkedHashMap<>();
        Map<String, Setting> edgeKey = new LinkedHashMap<>();
        for (Read r : programs) {
            ProgramSettings p = r.settings();
            List<String> after = expand(r, ProgramOptions.AFTER.key(), p.after(), groups, instances);
            List<String> requires = expand(r, ProgramOptions.REQUIRES.key(), p.requires(), groups, instances);
            ProgramSettings resolved = p.after().equals(after) && p.requires().equals(requires) ? p
                    : p.toBuilder().after(after).requires(requires).build();
            out.add(resolved);
            edges.put(p.name(), resolved.startsAfter());
            Setting s = r.keys().get(ProgramOptions.AFTER.key());
            edgeKey.put(p.name(), s != null ? s : r.keys().get(ProgramOptions.REQUIRES.key()));
        }
        List<String> cycle = Cycles.find(edges);
        if (!cycle.isEmpty()) {
            values.problem(edgeKey.get(cycle.get(0)), "the start order goes in a circle: "
                    + String.join(" → ", cycle) + "; take one of these names out of its after or requires.");
        }
        return out;
    }

    private List<String> expand(Read r, String key, List<String> names, Map<String, List<String>> groups,
                                Set<String> instances) {
        if (names.isEmpty()) {
            return names;
        }
        Setting s = r.keys().get(key);
        List<String> out = new ArrayList<>();
        for (String name : names) {
            List<String> group = groups.get(name);
            if (group == null && instances.contains(name)) {
                group = List.of(name);
            }
            if (group == null) {
                String close = DidYouMean.closest(name, groups.keySet());
                values.problem(s, "'" + name + "' is not a program of this file; "
                        + (close != null ? "did you mean '" + close + "'?" : "use the name of a [programs.NAME] table "
                        + "(" + String.join(", ", groups.keySet()) + ")."));
                continue;
            }
            if (group.contains(r.settings().name()) || name.equals(r.table())) {
                values.problem(s, "a program cannot start after itself; take '" + name + "' out.");
                continue;
            }
            for (String g : group) {
                if (!out.contains(g)) {
                    out.add(g);
                }
            }
        }
        return List.copyOf(out);
    }

    /** Finds a circle in a graph of names. */
    static final class Cycles {

        private Cycles() {
        }

        /** The first circle found, as the names along it with the first repeated at the end; empty for none. */
        static List<String> find(Map<String, List<String>> edges) {
            Map<String, Integer> state = new LinkedHashMap<>();
            for (String start : edges.keySet()) {
                List<String> path = new ArrayList<>();
                List<String> found = visit(start, edges, state, path);
                if (!found.isEmpty()) {
                    return found;
                }
            }
            return List.of();
        }

        private static final int ON_PATH = 1;
        private static final int DONE = 2;

        private static List<String> visit(String node, Map<String, List<String>> edges, Map<String, Integer> state,
                                          List<String> path) {
            Integer st = state.get(node);
            if (st != null && st == DONE) {
                return List.of();
            }
            if (st != null && st == ON_PATH) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
                cycle.add(node);
                return cycle;
            }
            state.put(node, ON_PATH);
            path.add(node);
            for (String next : edges.getOrDefault(node, List.of())) {
                List<String> found = visit(next, edges, state, path);
                if (!found.isEmpty()) {
                    return found;
                }
            }
            path.remove(path.size() - 1);
            state.put(node, DONE);
            return List.of();
        }
    }
}
