package dev.sentinel.cli;

import dev.sentinel.settings.Option;
import dev.sentinel.settings.OptionTable;
import dev.sentinel.settings.ProgramOptions;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.SentinelOptions;
import dev.sentinel.settings.SentinelSection;
import dev.sentinel.tui.UiSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code sentinel [OPTIONS] [--] COMMAND [ARGS...]}: the options, turned into a run. Every option
 * is a declaration of the option table ({@link OptionTable}); this class only lays them out and
 * wires what they decide.
 */
final class SentinelCommand {

    private SentinelCommand() {
    }

    /** Runs Sentinel with {@code args} (everything after the program name) and returns its exit status. */
    static int execute(String... args) {
        Warmup.inBackground();
        return CommandModels.run(spec(), args, new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                "no command given: say what to guard, e.g. 'sentinel -m 512M -- python3 app.py'.",
                SentinelCommand::run);
    }

    static CommandSpec spec() {
        CommandSpec spec = CommandModels.command("sentinel", headings(),
                "Guards the memory of a whole process tree: starts COMMAND, samples the resident memory of it "
                        + "and every process it forks, and when the tree crosses the limit stops it in tiers "
                        + "(the stop signal, a grace period, then SIGKILL).",
                new String[] {"sentinel [OPTIONS] [--] COMMAND [ARGS...]",
                    "       sentinel [OPTIONS] --config FILE    (many programs from one TOML file)",
                    "       sentinel check-config FILE          (check a config file, start nothing)",
                    "       sentinel ctl REQUEST...             (ask or order a running Sentinel)",
                    "       sentinel attach --pid PID [OPTIONS]  (guard a process that already runs)",
                    "       sentinel attach --match REGEX [OPTIONS]"},
                "Options end at the first word that is not an option, so 'sentinel python3 app.py --port 80' "
                        + "needs no '--'. Every option can also be set by the environment variable shown beside it.",
                "Sizes: 512M, 1.5G, 200MiB, 300m, 1048576 (bytes); K/M/G/T are binary (x1024). "
                        + "Durations: 3s, 500ms, 2m, 1.5s; a bare number is seconds.",
                "Restart policies: never (the default: one run), on-failure (after a memory stop, a non-zero exit or "
                        + "a crash; exit 0 ends), always. The delay doubles from --restart-delay up to "
                        + "--restart-delay-max for each restart in a row whose run lasted under --stable-after; after "
                        + "--max-restarts of them Sentinel gives up (FATAL) and exits with the last run's status.",
                "Exit status: the program's own; 128+N if signal N ended it; after a memory stop 143 (137 if SIGKILL "
                        + "was needed), whatever the program's own; 2 for bad usage; "
                        + "126 if COMMAND cannot be run, 127 if it is not found.");
        for (Option<?> o : OptionTable.ALL) {
            if (o.onCommandLine()) {
                spec.addOption(OptionSpecs.of(o));
            }
        }
        spec.addPositional(PositionalParamSpec.builder().arity("0..*").required(false)
                .paramLabel("COMMAND").type(List.class).auxiliaryTypes(String.class)
                .description("The program to guard and its arguments.").build());
        CommandModels.addStandardHelp(spec);
        return spec;
    }

    /** The program's options and Sentinel's each under a heading that says where they go in a file. */
    private static Map<String, String> headings() {
        Map<String, String> headings = new LinkedHashMap<>();
        for (Option<?> o : OptionTable.ALL) {
            if (o.onCommandLine() && o.perProgram() && headings.isEmpty()) {
                headings.put(o.longName(), "The program (with --config, in the file's [defaults] or "
                        + "[programs.NAME]):");
            }
            if (o.onCommandLine() && !o.perProgram() && o != SentinelOptions.CONFIG && headings.size() == 1) {
                headings.put(o.longName(), "Sentinel itself (with --config, over the file's [sentinel]):");
            }
        }
        return headings;
    }

    private static int run(ParseResult parsed) {
        Invocation invocation = decide(parsed, System.getenv());
        if (invocation instanceof Invocation.Refused refused) {
            return refused.tell(new PrintWriter(System.err, true));
        }
        if (invocation instanceof Invocation.FromFile fromFile) {
            return ConfigMode.run(fromFile.options(), fromFile.file());
        }
        return new SentinelRun(((Invocation.OneCommand) invocation).settings()).run();
    }

    /** What the command line (and the SENTINEL_* variables in {@code environment}) asks for; starts nothing. */
    static Invocation decide(ParseResult parsed, Map<String, String> environment) {
        List<String> command = parsed.commandSpec().positionalParameters().get(0).getValue();
        ParsedOptions options = new ParsedOptions(parsed, environment);
        String problem = options.problem(SentinelOptions.ALL);
        if (problem != null) {
            return new Invocation.Refused(problem);
        }
        Path config = options.value(SentinelOptions.CONFIG);
        boolean configGiven = options.matched(SentinelOptions.CONFIG);
        if (configGiven && command != null && !command.isEmpty()) {
            return new Invocation.Refused("give either --config FILE or a COMMAND, not both (the file's programs are "
                    + "the commands).");
        }
        if (command == null || command.isEmpty()) {
            if (config == null) {
                return new Invocation.Refused("no command given: say what to guard, e.g. 'sentinel -m 512M -- python3 "
                        + "app.py', or 'sentinel --config sentinel.toml'.");
            }
            for (Option<?> o : ProgramOptions.ALL) {
                if (o.onCommandLine() && options.matched(o)) {
                    return new Invocation.Refused(perProgram(o));
                }
            }
            return new Invocation.FromFile(options, config);
        }
        problem = options.problem(ProgramOptions.ALL);
        if (problem != null) {
            return new Invocation.Refused(problem);
        }
        ProgramSettings program;
        try {
            program = program(options, command);
        } catch (IllegalArgumentException e) {
            // Options that are each right but wrong together (--watchdog without --ready notify).
            return new Invocation.Refused(e.getMessage());
        }
        OwnSettings own = new OwnSettings(options, SentinelSection.EMPTY);
        return new Invocation.OneCommand(new Settings(List.of(program), null, own.control(),
                own.metrics(), new UiSettings(own.tui(), options.value(ProgramOptions.LOG_FILE)), own.journal(),
                own.cgroup(), own.shutdownTimeout(), own.containerLimit()));
    }

    /** The one program: every program option of the command line, through its setter. */
    private static ProgramSettings program(ParsedOptions options, List<String> command) {
        String name = options.value(ProgramOptions.NAME);
        String display = name == null || name.isBlank() ? Path.of(command.get(0)).getFileName().toString() : name;
        ProgramSettings.Builder program = ProgramSettings.builder(display, command);
        for (Option<?> o : ProgramOptions.ALL) {
            if (o.onCommandLine() && o.setter() != null) {
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

    /** Why a program's option is refused with --config, and where it goes instead. */
    static String perProgram(Option<?> option) {
        if (option.key() != null) {
            return option.longName() + " is set per program; with --config put it in the file's [defaults] or "
                    + "[programs.NAME] (as " + option.key() + ").";
        }
        if (option.docKey() != null) {
            return option.longName() + " is set per program; with --config it is the key of the program's table, "
                    + option.docKey() + ".";
        }
        return option.longName() + " is set per program and has no key in a config file; with --config, drop it.";
    }
}
