package dev.sentinel.cli;

import dev.sentinel.config.ConfigException;
import dev.sentinel.config.ConfigLoader;
import dev.sentinel.config.ConfigProblem;
import dev.sentinel.config.SentinelConfig;
import dev.sentinel.platform.cgroup.ContainerMemory;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.SentinelOptions;
import dev.sentinel.settings.SizeType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code sentinel check-config FILE}: validates a config file without starting anything. Exit 0
 * with a one-line summary, or 2 with every problem, one per line, as {@code FILE:LINE: key: ...}.
 */
final class CheckConfigCommand {

    static final String USAGE = "usage: sentinel check-config FILE (validates FILE without starting anything)";

    private CheckConfigCommand() {
    }

    static int execute(PrintStream out, PrintStream err, Map<String, String> environment, String... args) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            out.println(USAGE);
            return 0;
        }
        if (args.length != 1) {
            err.println("sentinel check-config: " + (args.length == 0 ? "no file given" : "one file at a time")
                    + "; " + USAGE);
            return 2;
        }
        Path file = Path.of(args[0]);
        SentinelConfig config;
        try {
            config = ConfigLoader.load(file, environment);
        } catch (ConfigException e) {
            for (ConfigProblem p : e.problems()) {
                err.println(p);
            }
            err.println("sentinel check-config: " + e.problems().size() + " problem"
                    + (e.problems().size() == 1 ? "" : "s") + " in " + file);
            return 2;
        }
        // The limits as they would be in this container (or on this host): a percentage resolved,
        // a limit that reaches the container's refused, a kernel limit that would reach it capped.
        ContainerFit.Fitted fitted;
        long given = config.sentinel().has(SentinelOptions.CONTAINER_LIMIT)
                ? config.sentinel().get(SentinelOptions.CONTAINER_LIMIT) : SizeType.AUTO;
        try (ContainerMemory container = ContainerMemory.of(given)) {
            fitted = new ContainerFit(container, container.ownShare(ContainerFit.ownResidentBytes()))
                    .fit(config.programs());
        }
        if (!fitted.problems().isEmpty()) {
            for (String p : fitted.problems()) {
                err.println(file + ": " + p);
            }
            err.println("sentinel check-config: " + fitted.problems().size() + " problem"
                    + (fitted.problems().size() == 1 ? "" : "s") + " in " + file + " in this container");
            return 2;
        }
        for (String note : fitted.notes()) {
            out.println(file + ": note: " + note);
        }
        StringBuilder names = new StringBuilder();
        for (ProgramSettings p : config.programs()) {
            names.append(names.length() == 0 ? "" : ", ").append(p.name());
        }
        out.println(file + ": OK, " + config.programs().size() + " program" + (config.programs().size() == 1 ? "" : "s")
                + ": " + names);
        return 0;
    }
}
