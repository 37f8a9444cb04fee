package dev.sentinel.cli;

import dev.sentinel.platform.AttachLauncher;
import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.cgroup.CgroupMode;
import dev.sentinel.settings.Option;
import dev.sentinel.settings.ProgramOptions;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.SentinelOptions;
import dev.sentinel.settings.SentinelSection;
import dev.sentinel.tui.UiSettings;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code sentinel attach (--pid PID | --match REGEX) [OPTIONS]}: guards a process tree Sentinel did
 * not start (a sidecar beside the app, in one process namespace). The same run as one command's,
 * with an {@link AttachLauncher} in place of the start: the tree is sampled from that root and
 * stopped by the same tiers, but never started again (Sentinel is not its parent), has no cgroup
 * (a running tree cannot be moved into one safely), and a stop signal to Sentinel lets go of it
 * rather than stopping it.
 */
final class AttachCommand {

    /**
     * The program's name (in {@code status}, the metrics' {@code name} label) without --name: the
     * same whichever process it is, so that a sidecar's series go on across the app's restarts.
     */
    static final String DEFAULT_NAME = "attached";

    /** The program options that mean something for a tree Sentinel did not start. */
    static final List<Option<?>> PROGRAM_OPTIONS = List.of(ProgramOptions.NAME, ProgramOptions.MEMORY_LIMIT,
            ProgramOptions.MEASURE,
            ProgramOptions.GRACE, ProgramOptions.INTERVAL, ProgramOptions.TOLERATE, ProgramOptions.STOP_SIGNAL,
            ProgramOptions.HOOK, ProgramOptions.HOOK_EVENTS, ProgramOptions.HOOK_TIMEOUT);

    /** Sentinel's own options that do not apply: no config file (one tree), no cgroup for a tree that runs already. */
    static final List<Option<?>> NOT_SENTINELS = List.of(SentinelOptions.CONFIG, SentinelOptions.CGROUP);

    private AttachCommand() {
    }

    static int execute(String... args) {
        Warmup.inBackground();
        return CommandModels.run(spec(), args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                "say which process to guard: 'sentinel attach --pid PID' or 'sentinel attach --match REGEX'.",
                AttachCommand::run);
    }

    /** Sentinel's own options that apply: all but the config file's and the cgroup's. */
    static List<Option<?>> sentinelOptions() {
        List<Option<?>> own = new ArrayList<>();
        for (Option<?> o : SentinelOptions.ALL) {
            if (o.onCommandLine() && !NOT_SENTINELS.contains(o)) {
                own.add(o);
            }
        }
        return own;
    }

    static CommandSpec spec() {
        CommandSpec spec = CommandModels.command("sentinel attach",
                "Guards the memory of a process tree Sentinel did not start: samples the process and every "
                        + "process it forks, and when the tree crosses the limit stops it in tiers (the stop signal, "
                        + "a grace period, then SIGKILL). It never starts it again: it is not its parent.",
                new String[] {"sentinel attach --pid PID [OPTIONS]",
                    "       sentinel attach --match REGEX [OPTIONS]"},
                "--match waits for a process whose command line (its arguments joined by spaces) the regex "
                        + "finds, leaving out Sentinel and its ancestors; of several, the oldest. Write the pattern "
                        + "so that it does not match itself in a shell's command line, e.g. '[L]eaker --leak'.",
                "No restart (not its parent), no cgroup (a running tree cannot be moved into one safely). SIGTERM "
                        + "or SIGINT to Sentinel detaches: Sentinel exits 0 and the process goes on running. "
                        + "See docs/attach.md.",
                "Exit status: 0 when the process ends on its own (its own status cannot be read by a non-parent) "
                        + "or Sentinel detaches; after a memory stop 143 (137 if SIGKILL was needed); 2 for bad "
                        + "usage or a --pid that no process has.");
        spec.addOption(OptionSpec.builder("--pid").type(Long.class).paramLabel("PID")
                .description("The process to guard, with every process it forks.").build());
        spec.addOption(OptionSpec.builder("--match").type(String.class).paramLabel("REGEX")
                .description("Guard the (oldest) process whose command line this regex finds; wait for one if "
                        + "none runs yet.").build());
        for (Option<?> o : PROGRAM_OPTIONS) {
            OptionSpec option = OptionSpecs.of(o);
            if (o == ProgramOptions.NAME) {
                // The table's default is a command's base name; an attached tree's is one word for all.
                option = option.toBuilder().description("Display name in lifecycle lines, the status and metrics.",
                        "(env " + o.env() + ", default " + DEFAULT_NAME + ")").build();
            }
            spec.addOption(option);
        }
        for (Option<?> o : sentinelOptions()) {
            spec.addOption(OptionSpecs.of(o));
        }
        CommandModels.addStandardHelp(spec);
        return spec;
    }

    private static int run(ParseResult parsed) {
        ParsedOptions options = new ParsedOptions(parsed, System.getenv());
        String problem = options.problem(sentinelOptions());
        if (problem == null) {
            problem = options.problem(PROGRAM_OPTIONS);
        }
        if (problem != null) {
            System.err.println("sentinel attach: " + problem);
            return 2;
        }
        Long pid = CommandModels.value(parsed, "--pid");
        String match = CommandModels.value(parsed, "--match");
        if ((pid == null) == (match == null)) {
            System.err.println("sentinel attach: give either --pid PID or --match REGEX (one of them).");
            return 2;
        }
        ProcFs proc = ProcFs.system();
        AttachLauncher launcher;
        List<String> command;
        if (pid != null) {
            AttachLauncher.Target target = pid > 0 ? AttachLauncher.byPid(proc, pid) : null;
            if (target == null) {
                System.err.println("sentinel attach: no process has pid " + pid + " (in a pod, Sentinel sees the "
                        + "app's processes only with shareProcessNamespace: true).");
                return 2;
            }
            if (AttachLauncher.ancestors(proc, ProcessHandle.current().pid()).contains(pid)) {
                System.err.println("sentinel attach: pid " + pid + " is Sentinel itself or one of its ancestors, "
                        + "whose tree holds Sentinel: attach to a process Sentinel does not descend from.");
                return 2;
            }
            launcher = new AttachLauncher(proc, target);
            command = target.words();
        } else {
            try {
                launcher = new AttachLauncher(proc, Pattern.compile(match));
            } catch (PatternSyntaxException e) {
                System.err.println("sentinel attach: --match " + match + " is not a regular expression: "
                        + e.getDescription() + ".");
                return 2;
            }
            // What was asked, until the process is found: a program's command is shown, never run.
            command = List.of("attach", "--match", match);
        }
        ProgramSettings program = program(options, command);
        OwnSettings own = new OwnSettings(options, SentinelSection.EMPTY);
        if (program.limit().isRelative() && own.containerLimit() <= 0) {
            System.err.println("sentinel attach: --memory-limit " + program.limit().share() + ": a percentage is a "
                    + "share of the attached tree's container's limit, which Sentinel cannot read from its own "
                    + "container; give it with --container-limit (in a pod, SENTINEL_CONTAINER_LIMIT from the "
                    + "downward API), or give a size, e.g. -m 400M.");
            return 2;
        }
        Settings settings = new Settings(List.of(program), null, own.control(), own.metrics(),
                new UiSettings(own.tui(), null), own.journal(), CgroupMode.OFF, own.shutdownTimeout(),
                own.containerLimit());
        return new SentinelRun(settings, null, launcher).run();
    }

    /** The attached tree as a program, named {@value #DEFAULT_NAME} unless --name says otherwise. */
    private static ProgramSettings program(ParsedOptions options, List<String> command) {
        String name = options.value(ProgramOptions.NAME);
        ProgramSettings.Builder program = ProgramSettings.builder(name == null || name.isBlank() ? DEFAULT_NAME : name,
                command);
        for (Option<?> o : PROGRAM_OPTIONS) {
            if (o.setter() != null) {
                apply(program, o, options);
            }
        }
        return program.build();
    }

    private static <T> void apply(ProgramSettings.Builder program, Option<T> option, ParsedOptions options) {
        T value = options.value(option);
        if (value != null || option.defaultValue() == null) {
            option.setter().set(program, value);
        }
    }
}
