package dev.sentinel.config;

import dev.sentinel.settings.OutputTarget;
import dev.sentinel.settings.ProgramOptions;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.SentinelSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a parsed file into a {@link SentinelConfig}: the three tables, [defaults] under each
 * program, instances, and the checks across programs (unique names, one output file each).
 * Every problem goes to {@link Problems}; reading goes on past one, so all are reported at once.
 */
final class DocumentReader {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
    private static final String CHECK = "check";

    private final Path file;
    private final Problems problems;
    private final Interpolator interpolator;
    private final Values values;

    DocumentReader(Path file, Map<String, String> environment, Problems problems) {
        this.file = file;
        this.problems = problems;
        this.interpolator = new Interpolator(environment, null);
        Path dir = file.toAbsolutePath().normalize().getParent();
        this.values = new Values(problems, interpolator, dir == null ? Path.of("/") : dir);
    }

    /** The config, or null when there were problems. */
    SentinelConfig read(ConfigNode.Table root) {
        SentinelSection section = SentinelSection.EMPTY;
        ConfigNode.Table defaults = null;
        ConfigNode.Table programs = null;
        for (Map.Entry<String, ConfigNode> e : root.entries().entrySet()) {
            String key = KeyPath.child(null, e.getKey());
            ConfigNode node = e.getValue();
            switch (e.getKey()) {
                case "sentinel" -> {
                    ConfigNode.Table t = table(key, node);
                    if (t != null) {
                        section = new SentinelSectionReader(values).read(t);
                    }
                }
                case "defaults" -> defaults = table(key, node);
                case "programs" -> programs = table(key, node);
                default -> problems.add(node.line(), key, node instanceof ConfigNode.Table
                        ? UnknownKeys.tableMessage(e.getKey())
                        : UnknownKeys.message(e.getKey(), UnknownKeys.TABLES, UnknownKeys.Place.TOP));
            }
        }
        List<ProgramSettings> specs = programs(programs, defaults(defaults));
        return problems.isEmpty() ? new SentinelConfig(file, section, specs) : null;
    }

    private ConfigNode.Table table(String key, ConfigNode node) {
        if (node instanceof ConfigNode.Table t) {
            return t;
        }
        problems.add(node.line(), key, node.describe() + " is not a table; write it as [" + key + "] with its keys "
                + "under it.");
        return null;
    }

    /** A program's keys but its variables, and its variables, each with the key and line it came from. */
    private record KeysOfProgram(Map<String, Setting> settings, Map<String, Setting> env) {
        static final KeysOfProgram NONE = new KeysOfProgram(Map.of(), Map.of());
    }

    private KeysOfProgram defaults(ConfigNode.Table table) {
        if (table == null) {
            return KeysOfProgram.NONE;
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        for (Map.Entry<String, Setting> e : keysOf("defaults", table).entrySet()) {
            String k = e.getKey();
            Setting s = e.getValue();
            if (k.equals("command")) {
                values.problem(s, "a command cannot come from [defaults]; set it in each [programs.NAME] table.");
            } else if (ProgramReader.PROGRAM_ONLY_KEYS.contains(k)) {
                values.problem(s, "'" + k + "' names what one program depends on or checks; set it in each "
                        + "[programs.NAME] table, not in [defaults].");
            } else if (!ProgramReader.DEFAULTS_KEYS.contains(k)) {
                values.problem(s, UnknownKeys.message(k, ProgramReader.DEFAULTS_KEYS, UnknownKeys.Place.DEFAULTS));
            } else {
                settings.put(k, s);
            }
        }
        KeysOfProgram defaults = new KeysOfProgram(settings, variables(settings.remove("env")));
        // Checked on their own too, so that a bad default is reported even where every program overrides it.
        ProgramReader reader = new ProgramReader(values.withInterpolator(interpolator.forInstance(1)), problems);
        reader.read("defaults", defaults.settings(), defaults.env());
        if (settings.containsKey("instances")) {
            reader.instances(settings.get("instances"));
        }
        return defaults;
    }

    /** A program's own keys over the defaults; env variable by variable, the program's winning. */
    private KeysOfProgram merge(KeysOfProgram defaults, String key, ConfigNode.Table own) {
        Map<String, Setting> settings = new LinkedHashMap<>(defaults.settings());
        Map<String, Setting> env = new LinkedHashMap<>(defaults.env());
        for (Map.Entry<String, Setting> k : keysOf(key, own).entrySet()) {
            Setting s = k.getValue();
            if (!ProgramOptions.KEYS.contains(k.getKey())) {
                values.problem(s, UnknownKeys.message(k.getKey(), ProgramOptions.KEYS, UnknownKeys.Place.PROGRAM));
            } else if (k.getKey().equals("env")) {
                env.putAll(variables(s));
            } else {
                settings.put(k.getKey(), s);
            }
        }
        return new KeysOfProgram(settings, env);
    }

    /**
     * The keys of a program's (or [defaults]') table, each with where it was written; a
     * {@code [.check]} table's keys come as {@code check.http}, {@code check.period}, ..., the
     * option table's keys for them.
     */
    private Map<String, Setting> keysOf(String tableKey, ConfigNode.Table table) {
        Map<String, Setting> keys = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : table.entries().entrySet()) {
            Setting s = new Setting(KeyPath.child(tableKey, e.getKey()), e.getValue());
            if (!e.getKey().equals(CHECK)) {
                keys.put(e.getKey(), s);
            } else if (e.getValue() instanceof ConfigNode.Table check) {
                for (Map.Entry<String, ConfigNode> c : check.entries().entrySet()) {
                    keys.put(CHECK + "." + c.getKey(), new Setting(KeyPath.child(s.key(), c.getKey()), c.getValue()));
                }
            } else {
                values.problem(s, e.getValue().describe() + " is not a check; write it as a table [" + s.key()
                        + "] with http = \"http://127.0.0.1:8080/health\" (or tcp, or exec) and period, timeout, "
                        + "threshold, level under it.");
            }
        }
        return keys;
    }

    /** The variables of an env table, each with its own key and line; a non-table is reported. */
    private Map<String, Setting> variables(Setting env) {
        Map<String, Setting> result = new LinkedHashMap<>();
        if (env == null) {
            return result;
        }
        if (!(env.node() instanceof ConfigNode.Table t)) {
            values.wrongType(env, "a table of variables", "a table like env = { PORT = \"8080\", DEBUG = \"1\" }");
            return result;
        }
        for (Map.Entry<String, ConfigNode> e : t.entries().entrySet()) {
            result.put(e.getKey(), new Setting(KeyPath.child(env.key(), e.getKey()), e.getValue()));
        }
        return result;
    }

    /** Who holds a name or an output file first, for the sentence about the second one. */
    private record Holder(String name, String description) {
    }

    private List<ProgramSettings> programs(ConfigNode.Table table, KeysOfProgram defaults) {
        List<ProgramSettings> specs = new ArrayList<>();
        if (table == null || table.entries().isEmpty()) {
            problems.add(table == null ? 0 : table.line(), null, "no programs; add a table like [programs.web] with "
                    + "command = \"python3 app.py\" under it.");
            return specs;
        }
        Map<String, Holder> names = new HashMap<>();
        Map<Path, Holder> outputs = new HashMap<>();
        Map<String, List<String>> groups = new LinkedHashMap<>();
        List<Dependencies.Read> read = new ArrayList<>();
        for (Map.Entry<String, ConfigNode> e : table.entries().entrySet()) {
            String name = e.getKey();
            String key = KeyPath.child("programs", name);
            if (!(e.getValue() instanceof ConfigNode.Table own)) {
                problems.add(e.getValue().line(), key, e.getValue().describe() + " is not a program; write a table "
                        + "[" + key + "] with command = \"...\" under it.");
                continue;
            }
            boolean validName = NAME.matcher(name).matches() && !name.equalsIgnoreCase("all");
            if (!validName) {
                problems.add(own.line(), key, name.equalsIgnoreCase("all")
                        ? "'" + name + "' cannot name a program: the socket's 'all' means every program; choose "
                                + "another name."
                        : "'" + name + "' is not a valid program name; use letters, digits, '_', '.' and '-'.");
            }
            if (!own.entries().containsKey("command")) {
                problems.add(own.line(), key, "no command; add command = [\"program\", \"arg\"] or "
                        + "command = \"program arg\".");
            }
            KeysOfProgram merged = merge(defaults, key, own);
            Setting instances = merged.settings().get("instances");
            Integer count = instances == null ? ProgramOptions.INSTANCES.fileDefault()
                    : new ProgramReader(values, problems).instances(instances);
            int n = count == null ? 1 : count;
            List<String> group = new ArrayList<>(n);
            groups.put(name, group);
            for (int i = 1; i <= n; i++) {
                String instanceName = n == 1 ? name : name + "-" + i;
                group.add(instanceName);
                Holder holder = new Holder(instanceName, (n == 1 ? key : "instance " + i + " of " + key)
                        + " (line " + own.line() + ")");
                Holder earlier = names.putIfAbsent(instanceName, holder);
                if (earlier != null) {
                    problems.add(own.line(), key, "'" + instanceName + "' is the name of both " + earlier.description()
                            + " and " + holder.description() + "; rename one of them.");
                }
                ProgramReader reader = new ProgramReader(values.withInterpolator(interpolator.forInstance(i)),
                        problems);
                ProgramSettings spec = reader.read(instanceName, merged.settings(), merged.env());
                if (spec != null && validName) {
                    read.add(new Dependencies.Read(spec, name, merged.settings()));
                }
                // Checked even when another value is bad, so that all problems come in one go.
                if (reader.value(ProgramOptions.OUTPUT, merged.settings()) instanceof OutputTarget.ToFile f) {
                    Holder other = outputs.putIfAbsent(f.path(), holder);
                    if (other != null) {
                        values.problem(merged.settings().get("output"), "'" + f.path() + "' is the output file of "
                                + "both '" + other.name() + "' and '" + instanceName + "'; give each program its own "
                                + "file" + (n > 1 ? " (put ${INSTANCE} in the path)" : "") + ".");
                    }
                }
            }
        }
        specs.addAll(new Dependencies(values).resolve(read, groups));
        return specs;
    }
}
