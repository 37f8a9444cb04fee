package dev.sentinel.cli;

import dev.sentinel.control.ControlSettings;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.HookSettings;
import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.RestartSettings;
import dev.sentinel.metrics.MetricsSettings;
import dev.sentinel.platform.Signal;
import dev.sentinel.platform.cgroup.CgroupMode;
import dev.sentinel.settings.TuiMode;
import dev.sentinel.tui.UiSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/** {@code sentinel [OPTIONS] [--] COMMAND [ARGS...]}: the options, turned into a run. */
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
        CommandSpec spec = CommandModels.command("sentinel",
                "Guards the memory of a whole process tree: starts COMMAND, samples the resident memory of it "
                        + "and every process it forks, and when the tree crosses the limit stops it in tiers "
                        + "(SIGTERM, a grace period, then SIGKILL).",
                new String[] {"sentinel [OPTIONS] [--] COMMAND [ARGS...]",
                    "       sentinel [OPTIONS] --config FILE           (many programs from a TOML file; README, 'Many programs')",
                    "       sentinel check-config FILE                 (validate a config file without starting anything)",
                    "       sentinel ctl [--socket PATH] REQUEST...   (ask or order a running Sentinel; 'ctl help')"},
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
        spec.addOption(valued(Path.class, null, "FILE", "${env:SENTINEL_CONFIG}",
                "Guard the programs of a TOML config file instead of one COMMAND; the options below marked "
                        + "'per program' then belong in the file. (env SENTINEL_CONFIG; a COMMAND given wins over it)",
                "-c", "--config"));
        spec.addOption(valued(MemoryLimit.class, new Converters.Limit(), "SIZE", "${env:SENTINEL_MEMORY_LIMIT:-512M}",
                "Limit on the resident memory (RSS) of the whole tree, or 'none' to only watch. "
                        + "(env SENTINEL_MEMORY_LIMIT, default ${DEFAULT-VALUE})",
                "-m", "--memory-limit"));
        spec.addOption(valued(Duration.class, new Converters.Grace(), "DURATION", "${env:SENTINEL_GRACE:-3s}",
                "Time between SIGTERM and SIGKILL. (env SENTINEL_GRACE, default ${DEFAULT-VALUE})",
                "-g", "--grace"));
        spec.addOption(valued(Duration.class, new Converters.Interval(), "DURATION", "${env:SENTINEL_INTERVAL:-250ms}",
                "Slowest sampling interval; Sentinel samples faster as the tree nears its limit. "
                        + "(env SENTINEL_INTERVAL, default ${DEFAULT-VALUE})",
                "-i", "--interval"));
        spec.addOption(valued(Duration.class, new Converters.Grace(), "DURATION", "${env:SENTINEL_TOLERATE:-0}",
                "How long the tree may stay over the limit, sample after sample, before it is stopped; a "
                        + "sample under the limit starts the count again. (env SENTINEL_TOLERATE, default "
                        + "${DEFAULT-VALUE})",
                "--tolerate"));
        spec.addOption(valued(RestartPolicy.class, new Converters.Restart(), "POLICY",
                "${env:SENTINEL_RESTART:-never}",
                "When to start the program again: never, on-failure, always. (env SENTINEL_RESTART, default "
                        + "${DEFAULT-VALUE})",
                "--restart"));
        spec.addOption(valued(Duration.class, new Converters.Grace(), "DURATION", "${env:SENTINEL_RESTART_DELAY:-1s}",
                "Delay before a restart; doubles for each restart in a row. (env SENTINEL_RESTART_DELAY, default "
                        + "${DEFAULT-VALUE})",
                "--restart-delay"));
        spec.addOption(valued(Duration.class, new Converters.Grace(), "DURATION",
                "${env:SENTINEL_RESTART_DELAY_MAX:-60s}",
                "The longest delay before a restart. (env SENTINEL_RESTART_DELAY_MAX, default ${DEFAULT-VALUE})",
                "--restart-delay-max"));
        spec.addOption(valued(Duration.class, new Converters.Grace(), "DURATION", "${env:SENTINEL_STABLE_AFTER:-60s}",
                "A run that stays up this long was stable: it resets the delay and the count. "
                        + "(env SENTINEL_STABLE_AFTER, default ${DEFAULT-VALUE})",
                "--stable-after"));
        spec.addOption(valued(int.class, new Converters.Count(), "N", "${env:SENTINEL_MAX_RESTARTS:-10}",
                "Give up (FATAL) after N restarts in a row that each lasted under --stable-after; 0 never gives up. "
                        + "(env SENTINEL_MAX_RESTARTS, default ${DEFAULT-VALUE})",
                "--max-restarts"));
        spec.addOption(valued(String.class, null, "NAME", "${env:SENTINEL_NAME}",
                "Display name. (env SENTINEL_NAME, default: the command's base name)",
                "-n", "--name"));
        spec.addOption(valued(Path.class, null, "PATH", "${env:SENTINEL_SOCKET}",
                "Control socket path. (env SENTINEL_SOCKET, default /tmp/sentinel.socket, or "
                        + "/tmp/sentinel-<pid>.socket when another Sentinel holds the default)",
                "-s", "--socket"));
        spec.addOption(flag("--no-socket", "Run without a control socket."));
        spec.addOption(valued(String.class, null, "MODE", "${env:SENTINEL_SOCKET_MODE:-0600}",
                "File mode of the socket, in octal; 0660 with --socket-group opens it to a group. "
                        + "(env SENTINEL_SOCKET_MODE, default ${DEFAULT-VALUE})",
                "--socket-mode"));
        spec.addOption(valued(String.class, null, "GROUP", "${env:SENTINEL_SOCKET_GROUP}",
                "Group that owns the socket; its members may connect when --socket-mode allows. "
                        + "(env SENTINEL_SOCKET_GROUP)",
                "--socket-group"));
        spec.addOption(valued(int.class, null, "PORT", "${env:SENTINEL_METRICS_PORT:-8000}",
                "Port of the Prometheus endpoint (/metrics); 0 picks a free one. "
                        + "(env SENTINEL_METRICS_PORT, default ${DEFAULT-VALUE})",
                "-p", "--metrics-port"));
        spec.addOption(valued(String.class, null, "ADDR", "${env:SENTINEL_METRICS_HOST:-0.0.0.0}",
                "Address the metrics endpoint listens on. (env SENTINEL_METRICS_HOST, default "
                        + "${DEFAULT-VALUE}: all interfaces)",
                "--metrics-host"));
        spec.addOption(flag("--no-metrics", "Serve no metrics."));
        spec.addOption(valued(TuiMode.class, new Converters.Tui(), "WHEN", "${env:SENTINEL_TUI:-auto}",
                "auto: the live dashboard when stdout is a terminal, log lines otherwise; always; never. "
                        + "(env SENTINEL_TUI, default ${DEFAULT-VALUE})",
                "--tui"));
        spec.addOption(flag("--no-tui", "Same as --tui never."));
        spec.addOption(valued(Path.class, null, "FILE", "${env:SENTINEL_JOURNAL}",
                "Append every lifecycle event to FILE as one JSON line (rotated at 10 MiB, 3 kept). "
                        + "(env SENTINEL_JOURNAL)",
                "--journal"));
        spec.addOption(valued(CgroupMode.class, new Converters.Cgroup(), "MODE", "${env:SENTINEL_CGROUP:-auto}",
                "auto: each program in a cgroup of its own where the kernel lets Sentinel have one (its tree "
                        + "cannot escape, the kernel enforces a backstop limit), /proc only otherwise; require: "
                        + "refuse to start without one; off. (env SENTINEL_CGROUP, default ${DEFAULT-VALUE})",
                "--cgroup"));
        spec.addOption(valued(KernelLimit.class, new Converters.Kernel(), "SIZE", "${env:SENTINEL_KERNEL_LIMIT:-auto}",
                "With a cgroup, the hard limit the kernel enforces even when Sentinel is slow or stopped: auto "
                        + "(the limit plus 10 %, at least 16 MiB more), off, or a size. (env "
                        + "SENTINEL_KERNEL_LIMIT, default ${DEFAULT-VALUE})",
                "--kernel-limit"));
        spec.addOption(flag("--allow-swap", "Let the program's cgroup swap (by default its swap is 0: a tree that "
                + "swaps hides memory from an RSS limit)."));
        spec.addOption(valued(String.class, null, "COMMAND", "${env:SENTINEL_HOOK}",
                "Run COMMAND with sh -c for each lifecycle event (limit-crossed, signal-sent, exited, "
                        + "restart-scheduled, gave-up, kernel-oom): the event as a JSON line on its stdin and in "
                        + "SENTINEL_* variables; never blocks guarding. (env SENTINEL_HOOK)",
                "--hook"));
        spec.addOption(valued(String.class, null, "KINDS", "${env:SENTINEL_HOOK_EVENTS:-all}",
                "The events --hook runs for, comma-separated. (env SENTINEL_HOOK_EVENTS, default ${DEFAULT-VALUE})",
                "--hook-events"));
        spec.addOption(valued(Duration.class, new Converters.Grace(), "DURATION", "${env:SENTINEL_HOOK_TIMEOUT:-10s}",
                "How long one hook run may take; then SIGTERM, then SIGKILL to its process group. "
                        + "(env SENTINEL_HOOK_TIMEOUT, default ${DEFAULT-VALUE})",
                "--hook-timeout"));
        spec.addOption(valued(Path.class, null, "FILE", "${env:SENTINEL_LOG_FILE}",
                "With the dashboard, also write the program's output to FILE. (env SENTINEL_LOG_FILE)",
                "--log-file"));
        spec.addPositional(PositionalParamSpec.builder().arity("0..*").required(false).paramLabel("COMMAND")
                .type(List.class).auxiliaryTypes(String.class)
                .description("The program to guard and its arguments.").build());
        CommandModels.addStandardHelp(spec);
        return spec;
    }

    private static OptionSpec valued(Class<?> type, ITypeConverter<?> converter, String label, String defaultValue,
            String description, String... names) {
        OptionSpec.Builder b = OptionSpec.builder(names).type(type).paramLabel(label).defaultValue(defaultValue)
                .description(description);
        if (converter != null) {
            b.converters(converter);
        }
        return b.build();
    }

    private static OptionSpec flag(String name, String description) {
        return OptionSpec.builder(name).type(boolean.class).arity("0").description(description).build();
    }

    /** Options that describe one program: with --config they belong in the file. */
    static final List<String> PER_PROGRAM = List.of("--memory-limit", "--grace", "--interval", "--tolerate", "--restart",
            "--restart-delay", "--restart-delay-max", "--stable-after", "--max-restarts", "--name", "--log-file", "--kernel-limit",
            "--allow-swap", "--hook", "--hook-events", "--hook-timeout");

    private static int run(ParseResult parsed) {
        List<String> command = parsed.commandSpec().positionalParameters().get(0).getValue();
        String socketMode = CommandModels.value(parsed, "--socket-mode");
        int mode;
        try {
            mode = Integer.parseInt(socketMode, 8);
            if (mode < 0 || mode > 0777) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            System.err.println("sentinel: --socket-mode '" + socketMode + "' is not a file mode; use octal like 0600 or 0660.");
            return 2;
        }
        int metricsPort = CommandModels.value(parsed, "--metrics-port");
        if (metricsPort < 0 || metricsPort > 65535) {
            System.err.println("sentinel: --metrics-port " + metricsPort + " is not a port; use 0 to 65535.");
            return 2;
        }

        Path config = CommandModels.value(parsed, "--config");
        boolean configGiven = parsed.hasMatchedOption("--config");
        if (configGiven && command != null && !command.isEmpty()) {
            System.err.println("sentinel: give either --config FILE or a COMMAND, not both (the file's programs are "
                    + "the commands).");
            return 2;
        }
        if (command == null || command.isEmpty()) {
            if (config == null) {
                System.err.println("sentinel: no command given: say what to guard, e.g. 'sentinel -m 512M -- python3 "
                        + "app.py', or 'sentinel --config sentinel.toml'.");
                return 2;
            }
            for (String option : PER_PROGRAM) {
                if (parsed.hasMatchedOption(option)) {
                    System.err.println("sentinel: " + option + " is set per program; with --config put it in the "
                            + "file's [defaults] or [programs.NAME] (as " + option.substring(2).replace('-', '_')
                            + ").");
                    return 2;
                }
            }
            return ConfigMode.run(parsed, config, mode, metricsPort);
        }
        String name = CommandModels.value(parsed, "--name");
        String display = name == null || name.isBlank() ? Path.of(command.get(0)).getFileName().toString() : name;
        Path socket = CommandModels.value(parsed, "--socket");
        TuiMode tui = CommandModels.value(parsed, "--tui");
        RestartSettings restart = new RestartSettings(CommandModels.value(parsed, "--restart"),
                CommandModels.value(parsed, "--restart-delay"), CommandModels.value(parsed, "--restart-delay-max"),
                CommandModels.value(parsed, "--stable-after"), CommandModels.<Integer>value(parsed, "--max-restarts"));
        Duration hookTimeout = CommandModels.value(parsed, "--hook-timeout");
        if (hookTimeout.isZero()) {
            System.err.println("sentinel: --hook-timeout 0 is too short; a hook's timeout must be above 0, like 10s.");
            return 2;
        }
        HookSettings hook;
        try {
            hook = new HookSettings(CommandModels.value(parsed, "--hook"),
                    HookSettings.parseKinds(CommandModels.value(parsed, "--hook-events")), hookTimeout);
        } catch (IllegalArgumentException e) {
            System.err.println("sentinel: --hook-events: " + e.getMessage());
            return 2;
        }
        ProgramSettings program = ProgramSettings.builder(display, command)
                .limit(CommandModels.value(parsed, "--memory-limit")).grace(CommandModels.value(parsed, "--grace"))
                .interval(CommandModels.value(parsed, "--interval")).tolerate(CommandModels.value(parsed, "--tolerate"))
                .restart(restart).kernel(CommandModels.<KernelLimit>value(parsed, "--kernel-limit")
                        .withAllowSwap(parsed.hasMatchedOption("--allow-swap")))
                .hook(hook).build();
        Settings settings = new Settings(List.of(program), null,
                new ControlSettings(!parsed.hasMatchedOption("--no-socket"),
                        socket == null ? ControlSettings.DEFAULT_PATH : socket, socket != null,
                        mode, CommandModels.value(parsed, "--socket-group")),
                new MetricsSettings(!parsed.hasMatchedOption("--no-metrics"),
                        CommandModels.value(parsed, "--metrics-host"), metricsPort),
                new UiSettings(parsed.hasMatchedOption("--no-tui") ? TuiMode.NEVER : tui,
                        CommandModels.value(parsed, "--log-file")),
                CommandModels.value(parsed, "--journal"), CommandModels.value(parsed, "--cgroup"));
        return new SentinelRun(settings).run();
    }
}
