package dev.sentinel.cli;

import dev.sentinel.core.GuardianConfig;
import dev.sentinel.core.MemoryLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sentinel [OPTIONS] [--] COMMAND [ARGS...]}: the options, turned into a run. */
@Command(name = "sentinel",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        headerHeading = "",
        header = "Guards the memory of a whole process tree: starts COMMAND, samples the resident memory of it "
                + "and every process it forks, and when the tree crosses the limit stops it in tiers "
                + "(SIGTERM, a grace period, then SIGKILL).",
        synopsisHeading = "%nUsage: ",
        customSynopsis = "sentinel [OPTIONS] [--] COMMAND [ARGS...]",
        descriptionHeading = "%n",
        description = "Options end at the first word that is not an option, so 'sentinel python3 app.py --port 80' "
                + "needs no '--'. Every option can also be set by the environment variable shown beside it.",
        optionListHeading = "%nOptions:%n",
        footerHeading = "%n",
        footer = {"Sizes: 512M, 1.5G, 200MiB, 300m, 1048576 (bytes); K/M/G/T are binary (x1024). "
                + "Durations: 3s, 500ms, 2m, 1.5s; a bare number is seconds.",
                "Exit status: the program's own; 128+N if signal N ended it; 2 for bad usage; "
                        + "126 if COMMAND cannot be run, 127 if it is not found."})
public final class SentinelCommand implements Callable<Integer> {

    @Option(names = {"-m", "--memory-limit"}, paramLabel = "SIZE", converter = Converters.Limit.class,
            defaultValue = "${env:SENTINEL_MEMORY_LIMIT:-512M}",
            description = "Limit on the resident memory (RSS) of the whole tree, or 'none' to only watch. "
                    + "(env SENTINEL_MEMORY_LIMIT, default ${DEFAULT-VALUE})")
    MemoryLimit limit;

    @Option(names = {"-g", "--grace"}, paramLabel = "DURATION", converter = Converters.Grace.class,
            defaultValue = "${env:SENTINEL_GRACE:-3s}",
            description = "Time between SIGTERM and SIGKILL. (env SENTINEL_GRACE, default ${DEFAULT-VALUE})")
    Duration grace;

    @Option(names = {"-i", "--interval"}, paramLabel = "DURATION", converter = Converters.Interval.class,
            defaultValue = "${env:SENTINEL_INTERVAL:-250ms}",
            description = "Slowest sampling interval; Sentinel samples faster as the tree nears its limit. "
                    + "(env SENTINEL_INTERVAL, default ${DEFAULT-VALUE})")
    Duration interval;

    @Option(names = {"-n", "--name"}, paramLabel = "NAME", defaultValue = "${env:SENTINEL_NAME}",
            description = "Display name. (env SENTINEL_NAME, default: the command's base name)")
    String name;

    @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The program to guard and its arguments.")
    List<String> command;

    @Override
    public Integer call() {
        String display = name == null || name.isBlank() ? Path.of(command.get(0)).getFileName().toString() : name;
        GuardianConfig config = new GuardianConfig(display, command, limit, grace, interval);
        return new SentinelRun(config).run();
    }
}
