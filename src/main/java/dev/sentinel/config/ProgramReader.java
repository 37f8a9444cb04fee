package dev.sentinel.config;

import dev.sentinel.events.EventKind;
import dev.sentinel.settings.HookSettings;
import dev.sentinel.text.Durations;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.OutputTarget;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.RestartSettings;
import dev.sentinel.platform.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns one program's settings (its own over [defaults]) into a {@link ProgramSettings}, for one
 * instance: variables are expanded by the {@link Values} it is given.
 */
final class ProgramReader {

    static final List<String> KEYS = List.of("command", "cwd", "env", "memory_limit", "grace", "interval",
            "tolerate", "restart", "restart_delay", "restart_delay_max", "stable_after", "max_restarts",
            "stop_signal", "priority", "autostart", "instances", "output", "kernel_limit", "allow_swap", "hook",
            "hook_events", "hook_timeout");

    /** [defaults] may set every program key but the command: that one says what the program is. */
    static final List<String> DEFAULTS_KEYS = KEYS.subList(1, KEYS.size());

    /** Signals a program may be stopped with: those supervisord allows, less SIGKILL (it always comes last). */
    static final Set<Signal> STOP_SIGNALS = EnumSet.of(Signal.TERM, Signal.INT, Signal.HUP, Signal.QUIT,
            Signal.USR1, Signal.USR2);

    static final String COMMAND_ACCEPTED = "an array of words like [\"python3\", \"app.py\"] or a string like "
            + "\"python3 app.py\"";
    private static final String SIGNAL_ACCEPTED = "TERM, INT, HUP, QUIT, USR1 or USR2 (SIGTERM etc. too)";
    private static final String COUNT_ACCEPTED = "a whole number like 10, or 0 to never give up";
    private static final String OUTPUT_ACCEPTED = "\"prefix\", \"discard\" or a file path";

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
        List<String> command = settings.containsKey("command") ? command(settings.get("command")) : null;
        Path cwd = settings.containsKey("cwd")
                ? values.path(settings.get("cwd"), "a directory", "a directory like \"/srv/app\" or \"app\"") : null;
        Map<String, String> variables = environment(env);
        MemoryLimit limit = get(settings, "memory_limit", ConfigDefaults.MEMORY_LIMIT, values::memoryLimit);
        Duration grace = get(settings, "grace", ConfigDefaults.GRACE, values::duration);
        Duration interval = get(settings, "interval", ConfigDefaults.INTERVAL, this::interval);
        Duration tolerate = get(settings, "tolerate", ConfigDefaults.TOLERATE, values::duration);
        RestartPolicy policy = get(settings, "restart", ConfigDefaults.RESTART, this::policy);
        Duration delay = get(settings, "restart_delay", ConfigDefaults.RESTART_DELAY, values::duration);
        Duration delayMax = get(settings, "restart_delay_max", ConfigDefaults.RESTART_DELAY_MAX, values::duration);
        Duration stableAfter = get(settings, "stable_after", ConfigDefaults.STABLE_AFTER, values::duration);
        Integer maxRestarts = get(settings, "max_restarts", ConfigDefaults.MAX_RESTARTS,
                s -> values.whole(s, 0, Integer.MAX_VALUE, "a count", COUNT_ACCEPTED));
        Signal stopSignal = get(settings, "stop_signal", ConfigDefaults.STOP_SIGNAL, this::stopSignal);
        Integer priority = get(settings, "priority", ConfigDefaults.PRIORITY, s -> values.whole(s,
                Integer.MIN_VALUE, Integer.MAX_VALUE, "a priority", "a whole number like 100 (lower starts first)"));
        Boolean autostart = get(settings, "autostart", ConfigDefaults.AUTOSTART,
                s -> values.bool(s, "true, or false to wait for 'start NAME'"));
        OutputTarget output = output(settings);
        KernelLimit kernel = get(settings, "kernel_limit", ConfigDefaults.KERNEL_LIMIT, values::kernelLimit);
        Boolean allowSwap = get(settings, "allow_swap", ConfigDefaults.ALLOW_SWAP,
                s -> values.bool(s, "false (the default: no swap for the program's cgroup), or true to let it swap"));
        String hookCommand = get(settings, "hook", null, s -> values.nonBlank(s, "a hook command",
                "a shell command like \"curl -s -d @- https://hooks.example/sentinel\""));
        Set<EventKind> hookKinds = get(settings, "hook_events",
                HookSettings.HOOKABLE, this::hookKinds);
        Duration hookTimeout = get(settings, "hook_timeout", HookSettings.DEFAULT_TIMEOUT,
                values::duration);
        if (hookTimeout != null && hookTimeout.isZero()) {
            values.problem(settings.get("hook_timeout"), "0 is too short; a hook's timeout must be above 0.");
        }
        if (delay != null && delayMax != null && settings.containsKey("restart_delay_max")
                && delayMax.compareTo(delay) < 0) {
            // Unset, the cap follows a longer delay up (as RestartSettings does); written, it is a contradiction.
            values.problem(settings.get("restart_delay_max"), Durations.format(delayMax)
                    + " is shorter than restart_delay (" + Durations.format(delay) + "); use at least the "
                    + "restart_delay, since the delay only grows up to this cap.");
        }
        if (command == null || problems.reported() != before) {
            return null;
        }
        RestartSettings restart = new RestartSettings(policy, delay, delayMax, stableAfter, maxRestarts);
        return ProgramSettings.builder(name, command).cwd(cwd).env(variables).limit(limit).tolerate(tolerate)
                .kernel(kernel.withAllowSwap(allowSwap)).grace(grace).stopSignal(stopSignal).interval(interval)
                .restart(restart).priority(priority).autostart(autostart).output(output)
                .hook(new HookSettings(hookCommand, hookKinds, hookTimeout)).build();
    }

    private Set<EventKind> hookKinds(Setting s) {
        String text = values.string(s, "a list of events", HookSettings.accepted());
        if (text == null) {
            return null;
        }
        try {
            return HookSettings.parseKinds(text);
        } catch (IllegalArgumentException e) {
            values.problem(s, e.getMessage());
            return null;
        }
    }

    /** Where the program's output goes, or null when the value is bad (reported). */
    OutputTarget output(Map<String, Setting> settings) {
        return get(settings, "output", ConfigDefaults.OUTPUT, this::output);
    }

    /** The number of instances, or null when the value is bad (reported). */
    Integer instances(Setting s) {
        return values.whole(s, 1, ConfigDefaults.MAX_INSTANCES, "a number of instances",
                "a whole number from 1 to " + ConfigDefaults.MAX_INSTANCES);
    }

    private static <T> T get(Map<String, Setting> settings, String key, T fallback, Function<Setting, T> reader) {
        Setting s = settings.get(key);
        return s == null ? fallback : reader.apply(s);
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

    private Duration interval(Setting s) {
        Duration d = values.duration(s);
        if (d != null && d.toNanos() < 1_000_000L) {
            values.problem(s, "'" + Durations.format(d) + "' is too short; the interval must be at least 1ms.");
            return null;
        }
        return d;
    }

    private RestartPolicy policy(Setting s) {
        String text = values.string(s, "a restart policy", "\"never\", \"on-failure\" or \"always\"");
        if (text == null) {
            return null;
        }
        try {
            return RestartPolicy.parse(text);
        } catch (IllegalArgumentException e) {
            values.problem(s, e.getMessage());
            return null;
        }
    }

    private Signal stopSignal(Setting s) {
        String text = values.string(s, "a signal", SIGNAL_ACCEPTED);
        if (text == null) {
            return null;
        }
        Signal signal = Signal.parse(text).orElse(null);
        if (signal == Signal.KILL) {
            values.problem(s, "SIGKILL cannot be the stop signal, since it is the last tier that follows the grace "
                    + "period; use " + SIGNAL_ACCEPTED + ".");
            return null;
        }
        if (signal == null || !STOP_SIGNALS.contains(signal)) {
            values.problem(s, "'" + text + "' is not a stop signal; use " + SIGNAL_ACCEPTED + ".");
            return null;
        }
        return signal;
    }

    private OutputTarget output(Setting s) {
        String text = values.nonBlank(s, "an output", OUTPUT_ACCEPTED);
        if (text == null) {
            return null;
        }
        if (text.equals("prefix")) {
            return OutputTarget.PREFIX;
        }
        if (text.equals("discard")) {
            return OutputTarget.DISCARD;
        }
        Path file = values.resolve(s, text);
        return file == null ? null : new OutputTarget.ToFile(file);
    }
}
