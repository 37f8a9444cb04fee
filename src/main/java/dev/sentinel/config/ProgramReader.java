package dev.sentinel.config;

import dev.sentinel.settings.Option;
import dev.sentinel.settings.ProgramOptions;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.text.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one program's settings (its own over [defaults]) into a {@link ProgramSettings}, for one
 * instance: variables are expanded by the {@link Values} it is given. Every key of the option
 * table ({@link ProgramOptions}) is read by its option's type and applied by its setter; only the
 * command and the env table, which are not plain values, are read here by hand.
 */
final class ProgramReader {

    /**
     * Keys that say what one program is, checks or depends on: a default for all of them would
     * make no sense (every program checking one URL, every program after itself).
     */
    static final List<String> PROGRAM_ONLY_KEYS = List.of(ProgramOptions.COMMAND.key(),
            ProgramOptions.CHECK_HTTP.key(), ProgramOptions.CHECK_TCP.key(), ProgramOptions.CHECK_EXEC.key(),
            ProgramOptions.AFTER.key(), ProgramOptions.REQUIRES.key());

    /** [defaults] may set every program key but those that say what one program is. */
    static final List<String> DEFAULTS_KEYS = without(ProgramOptions.KEYS, PROGRAM_ONLY_KEYS);

    /** The keys of the health settings, for the line a problem between them is reported at. */
    private static final List<String> HEALTH_KEYS = List.of(ProgramOptions.READY.key(),
            ProgramOptions.WATCHDOG.key(), ProgramOptions.CHECK_HTTP.key(), ProgramOptions.CHECK_TCP.key(),
            ProgramOptions.CHECK_EXEC.key());

    static final String COMMAND_ACCEPTED = "an array of words like [\"python3\", \"app.py\"] or a string like "
            + "\"python3 app.py\"";

    private final Values values;
    private final Problems problems;

    ProgramReader(Values values, Problems problems) {
        this.values = values;
        this.problems = problems;
    }

    /**
     * The spec of the program called {@code name}, or null when a value is bad (each is reported) or
     * it has no command (which the caller reports, at the program's line).
     */
    ProgramSettings read(String name, Map<String, Setting> settings, Map<String, Setting> env) {
        int before = problems.reported();
        Setting commandSetting = settings.get(ProgramOptions.COMMAND.key());
        List<String> command = commandSetting == null ? null : command(commandSetting);
        ProgramSettings.Builder program = ProgramSettings.builder(name, command).env(environment(env));
        for (Option<?> o : ProgramOptions.ALL) {
            if (o.key() != null && o.setter() != null) {
                apply(program, o, settings);
            }
        }
        Setting delayMax = settings.get(ProgramOptions.RESTART_DELAY_MAX.key());
        if (delayMax != null) {
            checkDelayMax(value(ProgramOptions.RESTART_DELAY, settings), values.read(
                    ProgramOptions.RESTART_DELAY_MAX.type(), delayMax), delayMax);
        }
        String healthProblem = commandSetting == null ? null : program.healthProblem();
        if (healthProblem != null) {
            values.problem(firstOf(HEALTH_KEYS, settings), healthProblem);
        }
        if (command == null || problems.reported() != before) {
            return null;
        }
        return program.build();
    }

    /** The value of one option for this program: its own or [defaults]', else the file's default; null when bad. */
    <T> T value(Option<T> option, Map<String, Setting> settings) {
        Setting s = settings.get(option.key());
        return s == null ? option.fileDefault() : values.read(option.type(), s);
    }

    private <T> void apply(ProgramSettings.Builder program, Option<T> option, Map<String, Setting> settings) {
        T value = value(option, settings);
        if (value != null) {
            option.setter().set(program, value);
        }
    }

    /** Unset, the cap follows a longer delay up (as RestartSettings does); written, a lower one is a contradiction. */
    private void checkDelayMax(Duration delay, Duration delayMax, Setting written) {
        if (delay != null && delayMax != null && delayMax.compareTo(delay) < 0) {
            values.problem(written, Durations.format(delayMax) + " is shorter than restart_delay ("
                    + Durations.format(delay) + "); use at least the restart_delay, since the delay only grows up "
                    + "to this cap.");
        }
    }

    /** The first of {@code keys} this program sets (one of them is set when their settings conflict). */
    private static Setting firstOf(List<String> keys, Map<String, Setting> settings) {
        for (String k : keys) {
            if (settings.containsKey(k)) {
                return settings.get(k);
            }
        }
        return settings.values().iterator().next();
    }

    /** The number of instances, or null when the value is bad (reported). */
    Integer instances(Setting s) {
        return values.read(ProgramOptions.INSTANCES.type(), s);
    }

    private static List<String> without(List<String> keys, List<String> out) {
        List<String> rest = new ArrayList<>(keys);
        rest.removeAll(out);
        return List.copyOf(rest);
    }

    private List<String> command(Setting s) {
        List<String> words;
        if (s.node() instanceof ConfigNode.Text t) {
            String text = values.expand(s.key(), t);
            if (text == null) {
                return null;
            }
            try {
                words = ShellWords.split(text);
            } catch (IllegalArgumentException e) {
                values.problem(s, e.getMessage());
                return null;
            }
        } else if (s.node() instanceof ConfigNode.Array a) {
            words = new ArrayList<>(a.items().size());
            boolean bad = false;
            for (int i = 0; i < a.items().size(); i++) {
                ConfigNode item = a.items().get(i);
                String word = null;
                if (item instanceof ConfigNode.Text t) {
                    word = values.expand(s.key(), t);
                } else {
                    values.problem(s.key(), item, "word " + (i + 1) + " is " + item.describe()
                            + "; every word of the command must be a string, like [\"sleep\", \"10\"].");
                }
                bad |= word == null;
                words.add(word);
            }
            if (bad) {
                return null;
            }
        } else {
            values.wrongType(s, "a command", COMMAND_ACCEPTED);
            return null;
        }
        if (words.isEmpty()) {
            values.problem(s, "the command is empty; use " + COMMAND_ACCEPTED + ".");
            return null;
        }
        if (words.get(0).isBlank()) {
            values.problem(s, "the program (the first word) is empty; use " + COMMAND_ACCEPTED + ".");
            return null;
        }
        return words;
    }

    private Map<String, String> environment(Map<String, Setting> env) {
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, Setting> e : env.entrySet()) {
            String name = e.getKey();
            Setting s = e.getValue();
            if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
                values.problem(s, "'" + name + "' is not a variable name; use a name without '=', like PORT.");
                continue;
            }
            String value;
            if (s.node() instanceof ConfigNode.Text t) {
                value = values.expand(s.key(), t);
            } else if (s.node() instanceof ConfigNode.Whole w) {
                value = Long.toString(w.value());
            } else if (s.node() instanceof ConfigNode.Real r) {
                value = r.plain();
            } else if (s.node() instanceof ConfigNode.Bool b) {
                value = Boolean.toString(b.value());
            } else {
                values.wrongType(s, "a variable's value", "a string like \"8080\"");
                continue;
            }
            if (value != null) {
                result.put(name, value);
            }
        }
        return result;
    }
}
