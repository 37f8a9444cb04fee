package dev.sentinel.cli;

import java.util.ArrayList;
import dev.sentinel.settings.OptionTable;
import dev.sentinel.settings.Option;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The command models the man page and the completion script are generated from: {@code sentinel}
 * and {@code sentinel ctl} as the code builds them, and {@code sentinel check-config}, which the
 * code parses by hand, as a small model of its one form. Variables are not interpolated, so the
 * output never depends on the environment of the build: an option's default is read as written,
 * {@code ${env:SENTINEL_GRACE:-3s}}.
 */
final class DocumentedCommands {

    private static final Pattern ENV_DEFAULT = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?}");
    private static final Pattern USAGE = Pattern.compile("usage: (sentinel check-config \\S+) \\((.*)\\)");

    private DocumentedCommands() {
    }

    static CommandSpec sentinel() {
        return raw(SentinelCommand.spec());
    }

    static CommandSpec ctl() {
        return raw(CtlCommand.spec());
    }

    /** {@code sentinel attach} as the code builds it: its own options and the ones it shares with {@code sentinel}. */
    static CommandSpec attach() {
        return raw(AttachCommand.spec());
    }

    /**
     * {@code sentinel attach} for the man page: only the options of its own (--pid, --match); the
     * others are {@code sentinel}'s, listed above it, and the footer says which apply.
     */
    static CommandSpec attachOwn() {
        CommandSpec full = AttachCommand.spec();
        List<String> footer = new ArrayList<>();
        List<String> program = new ArrayList<>();
        AttachCommand.PROGRAM_OPTIONS.forEach(o -> program.add(o.longName()));
        List<String> not = new ArrayList<>();
        AttachCommand.NOT_SENTINELS.forEach(o -> not.add(o.longName()));
        footer.add("Of the options above it takes Sentinel's own but " + String.join(" and ", not)
                + ", and of the program's " + String.join(", ", program) + ".");
        footer.addAll(List.of(full.usageMessage().footer()));
        CommandSpec spec = CommandModels.command("sentinel attach", full.usageMessage().header()[0],
                new String[] {"sentinel attach (--pid PID | --match REGEX) [OPTIONS]"},
                String.join("\n", full.usageMessage().description()), footer.toArray(String[]::new));
        for (picocli.CommandLine.Model.OptionSpec o : full.options()) {
            if (o.longestName().equals("--pid") || o.longestName().equals("--match")) {
                spec.addOption(o.toBuilder().build());
            }
        }
        return raw(spec);
    }

    /** {@code sentinel check-config FILE}, from its usage line, with the exit status its class documents. */
    static CommandSpec checkConfig() {
        Matcher m = USAGE.matcher(CheckConfigCommand.USAGE);
        if (!m.matches()) {
            throw new IllegalStateException("CheckConfigCommand.USAGE no longer reads 'usage: sentinel check-config "
                    + "FILE (what it does)': " + CheckConfigCommand.USAGE);
        }
        String what = m.group(2);
        CommandSpec spec = CommandModels.command("sentinel check-config",
                Character.toUpperCase(what.charAt(0)) + what.substring(1) + ".",
                new String[] {m.group(1)},
                "Every problem is reported at once, one a line, as FILE:LINE: key: what is wrong; "
                        + "with no problem one line names the file's programs.",
                "Exit status: 0 when the file has no problem, 2 when it has any (or the command line is wrong).");
        spec.addPositional(PositionalParamSpec.builder().paramLabel("FILE").type(Path.class).arity("1")
                .description("The config file to check.").build());
        spec.addOption(picocli.CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show the usage line and exit.").build());
        return raw(spec);
    }

    /** The environment variable an argument's default names, or null. */
    static String environmentVariable(ArgSpec arg) {
        Matcher m = arg.defaultValue() == null ? null : ENV_DEFAULT.matcher(arg.defaultValue());
        return m != null && m.matches() ? m.group(1) : null;
    }

    /** An argument's default as the user sees it when its variable is unset, or null when it has none. */
    static String defaultValue(ArgSpec arg) {
        String d = arg.defaultValue();
        if (d == null) {
            return null;
        }
        Matcher m = ENV_DEFAULT.matcher(d);
        return m.matches() ? m.group(2) : d;
    }

    /** The long options that belong to one program (with --config, in the file). */
    static List<String> perProgram() {
        List<String> names = new ArrayList<>();
        for (Option<?> o : OptionTable.ALL) {
            if (o.perProgram() && o.onCommandLine()) {
                names.add(o.longName());
            }
        }
        return names;
    }

    private static CommandSpec raw(CommandSpec spec) {
        spec.interpolateVariables(false);
        return spec;
    }
}
