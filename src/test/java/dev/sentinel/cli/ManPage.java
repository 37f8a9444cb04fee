package dev.sentinel.cli;

import static dev.sentinel.cli.Troff.bold;
import static dev.sentinel.cli.Troff.escape;
import static dev.sentinel.cli.Troff.italic;
import static dev.sentinel.cli.Troff.lines;
import static dev.sentinel.cli.Troff.picocli;

import dev.sentinel.control.ControlSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code sentinel.1}, written in {@code man(7)} macros straight from the picocli models (the
 * synopsis, the description, every option with its variable and default, the {@code check-config},
 * {@code ctl} and {@code attach} forms) and from docs/options.md (the exit status, the launcher's
 * variables), so
 * that neither the help nor the reference can change without the page showing it.
 */
final class ManPage {

    static final String PATH = "sentinel.1";

    /** A synopsis line's comment, after two blanks or more: {@code (validate a config file ...)}. */
    private static final Pattern SYNOPSIS_COMMENT = Pattern.compile("\\s{2,}\\(.*\\)\\s*$");
    /** A row of docs/README.md's index: {@code | [options.md](options.md) | ...}. */
    private static final Pattern INDEX_ROW = Pattern.compile("^\\| \\[[^\\]]+]\\(([^)#]+\\.md)\\) \\|",
            Pattern.MULTILINE);

    /** What a reader types, and what it shows; the commands are also checked against the models. */
    record Example(String what, List<String> commands) {
    }

    static final List<Example> EXAMPLES = List.of(
            new Example("Guard a server: when its tree passes 1 GiB, SIGTERM to all of it, and SIGKILL to "
                    + "whatever is left 10 s later.", List.of("sentinel -m 1G -g 10s -- python3 server.py")),
            new Example("Keep it up: restart it after a crash or a memory stop, 1 s, 2 s, 4 s ... later, and give "
                    + "up after 10 short runs in a row.",
                    List.of("sentinel --restart on-failure -m 1G -- python3 server.py")),
            new Example("Fail a CI step that leaks, with 143 or 137 instead of a machine out of memory; the "
                    + "limit from the environment.",
                    List.of("SENTINEL_MEMORY_LIMIT=2G sentinel --no-tui -- make test")),
            new Example("Check a config file, then guard its programs.",
                    List.of("sentinel check-config sentinel.toml", "sentinel --config sentinel.toml")),
            new Example("Ask a running Sentinel, and give it orders (with a config file, an order names its "
                    + "program: restart web).", List.of("sentinel ctl status", "sentinel ctl limit 1G",
                            "echo status | nc -U " + ControlSettings.DEFAULT_PATH)),
            new Example("Guard a process that already runs (a sidecar beside the app, in one process namespace): "
                    + "the oldest whose command line matches, stopped at 400 MiB and never restarted.",
                    List.of("sentinel attach --match '[L]eaker --leak' -m 400M -g 10s")));

    private ManPage() {
    }

    /** The page, from the models and from the docs of the repository at {@code repo}. */
    static String render(Path repo) throws IOException {
        CommandSpec sentinel = DocumentedCommands.sentinel();
        String options = Files.readString(repo.resolve("docs/options.md"));
        StringBuilder b = new StringBuilder();
        b.append(".\\\" sentinel(1), generated from Sentinel's picocli models and docs/options.md by\n")
                .append(".\\\" src/test/java/dev/sentinel/cli/ManPage.java: do not edit. To regenerate:\n")
                .append(".\\\"   ").append(GeneratedFiles.REGENERATE).append('\n')
                .append(".TH SENTINEL 1 \"\" \"Sentinel\" \"User Commands\"\n");

        b.append(".SH NAME\nsentinel \\- guard the memory of a whole process tree\n");

        b.append(".SH SYNOPSIS\n");
        List<String> synopsis = synopsis(sentinel);
        for (int i = 0; i < synopsis.size(); i++) {
            b.append(i == 0 ? "" : ".br\n").append(lines(Troff.synopsis(synopsis.get(i))));
        }

        b.append(".SH DESCRIPTION\n");
        paragraphs(b, sentinel.usageMessage().header());
        paragraphs(b, sentinel.usageMessage().description());
        paragraphs(b, withoutExitStatus(sentinel.usageMessage().footer()));

        b.append(".SH OPTIONS\n");
        arguments(b, sentinel, DocumentedCommands.perProgram());

        b.append(".SH COMMANDS\n");
        for (CommandSpec command : List.of(DocumentedCommands.checkConfig(), DocumentedCommands.ctl(),
                DocumentedCommands.attachOwn())) {
            b.append(".SS \"").append(escape(String.join(" ", synopsis(command)))).append("\"\n");
            paragraphs(b, command.usageMessage().header());
            paragraphs(b, command.usageMessage().description());
            arguments(b, command, List.of());
            paragraphs(b, command.usageMessage().footer());
        }

        b.append(".SH \"EXIT STATUS\"\n");
        b.append(Troff.blocks(optionsSection(options, "## Exit status")));

        b.append(".SH ENVIRONMENT\n");
        environment(b, options, sentinel, DocumentedCommands.ctl());

        b.append(".SH FILES\n");
        files(b);

        b.append(".SH EXAMPLES\n");
        for (Example e : EXAMPLES) {
            b.append(".PP\n").append(lines(escape(e.what()))).append(".PP\n.RS 4\n.nf\n");
            for (String command : e.commands()) {
                b.append(lines(escape(command)));
            }
            b.append(".fi\n.RE\n");
        }

        b.append(".SH \"SEE ALSO\"\n");
        seeAlso(b, repo);
        return b.toString();
    }

    /** The help's synopsis lines without their comments; picocli's own synopsis when the help has none. */
    private static List<String> synopsis(CommandSpec spec) {
        List<String> lines = new ArrayList<>();
        for (String line : spec.usageMessage().customSynopsis()) {
            lines.add(SYNOPSIS_COMMENT.matcher(line).replaceFirst("").strip());
        }
        if (lines.isEmpty()) {
            CommandLine.Help help = new CommandLine.Help(spec,
                    CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
            lines.add(help.synopsis(0).replaceAll("\\s+", " ").strip());
        }
        return lines;
    }

    private static void paragraphs(StringBuilder b, String[] texts) {
        for (String text : texts) {
            if (!text.isBlank()) {
                b.append(".PP\n").append(lines(picocli(text)));
            }
        }
    }

    /** The help footer's lines but its exit status, which the page has in a section of its own. */
    private static String[] withoutExitStatus(String[] footer) {
        return List.of(footer).stream().filter(f -> !f.toLowerCase(Locale.ROOT).startsWith("exit status"))
                .toArray(String[]::new);
    }

    /**
     * The positional parameters, then every option, each with what the help says of it, and then
     * what the help leaves out: whether it is set per program, its variable, its default.
     */
    private static void arguments(StringBuilder b, CommandSpec spec, List<String> perProgram) {
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (!p.hidden()) {
                String label = italic(p.paramLabel()) + (p.arity().max() > 1 ? "..." : "");
                b.append(".TP\n").append(lines(label)).append(lines(description(p, false)));
            }
        }
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) {
                continue;
            }
            StringBuilder tag = new StringBuilder();
            for (String name : o.names()) {
                tag.append(tag.length() == 0 ? "" : ", ").append(bold(name));
            }
            if (o.arity().max() > 0) {
                tag.append(' ').append(italic(o.paramLabel()));
            }
            b.append(".TP\n").append(lines(tag.toString()))
                    .append(lines(description(o, perProgram.contains(o.longestName()))));
        }
    }

    /**
     * What the help says of {@code arg}; then, where the help does not say it, that it is set per
     * program, its variable and its default.
     */
    static String description(ArgSpec arg, boolean perProgram) {
        String def = DocumentedCommands.defaultValue(arg);
        String env = DocumentedCommands.environmentVariable(arg);
        String raw = String.join(" ", arg.description());
        String text = raw.replace("${DEFAULT-VALUE}", def == null ? "" : def);
        List<String> lines = new ArrayList<>();
        for (String line : arg.description()) {
            lines.add(picocli(line.replace("${DEFAULT-VALUE}", def == null ? "" : def)));
        }
        StringBuilder b = new StringBuilder(String.join("\n.br\n", lines));
        if (perProgram && !text.toLowerCase(Locale.ROOT).contains("per program")) {
            b.append(" Per program.");
        }
        if (env != null && !text.contains(env)) {
            b.append(" Environment: ").append(bold(env)).append('.');
        }
        if (def != null && !def.isEmpty() && !raw.contains("${DEFAULT-VALUE}") && !text.contains(def)) {
            b.append(" Default: ").append(bold(def)).append('.');
        }
        return b.toString();
    }

    /**
     * Each variable an option reads, with the option (the same variable may serve two commands), then
     * what docs/options.md says of the launcher's own variables and of hooks'.
     */
    private static void environment(StringBuilder b, String optionsMd, CommandSpec... commands) {
        Map<String, List<String>> readers = new LinkedHashMap<>();
        for (CommandSpec command : commands) {
            for (OptionSpec o : command.options()) {
                String env = DocumentedCommands.environmentVariable(o);
                if (env != null) {
                    String who = command == commands[0] ? "" : command.name() + " ";
                    readers.computeIfAbsent(env, k -> new ArrayList<>()).add(escape(who) + bold(o.longestName()));
                }
            }
        }
        b.append(".PP\n").append(lines("Each of these sets an option; the option on the command line wins."))
                .append(".PP\n.PD 0\n");
        int width = readers.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        for (Map.Entry<String, List<String>> e : readers.entrySet()) {
            b.append(".TP ").append(width).append("n\n").append(lines(bold(e.getKey())))
                    .append(lines(String.join(", ", e.getValue())));
        }
        b.append(".PD\n");
        // The section's first paragraph is about the options table above it in the doc: the list here says it.
        String section = optionsSection(optionsMd, "## Environment variables").strip();
        Matcher firstBreak = Pattern.compile("\n\\s*\n").matcher(section);
        b.append(Troff.blocks(firstBreak.find() ? section.substring(firstBreak.end()) : ""));
    }

    private static String optionsSection(String optionsMd, String heading) {
        try {
            return Troff.section(optionsMd, heading);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("docs/options.md has no heading '" + heading + "', which the man page "
                    + "takes a section from: rename it in ManPage too", e);
        }
    }

    private static void files(StringBuilder b) {
        Path socket = ControlSettings.DEFAULT_PATH;
        b.append(".TP\n").append(lines(bold(socket.toString())))
                .append(lines("The control socket (" + bold("--socket") + "); when a live Sentinel holds it, another "
                        + "one listens on " + bold(socket.resolveSibling("sentinel-PID.socket").toString())
                        + " and says so."));
        b.append(".TP\n").append(lines(italic("sentinel.toml")))
                .append(lines("A config file, given with " + bold("--config") + "; " + bold("examples/sentinel.toml")
                        + " in the repository explains every key in comments."));
        b.append(".TP\n").append(lines(bold("target/sentinel.jar")))
                .append(lines("The jar " + bold("bin/sentinel") + " builds on first use and runs, beside the "
                        + "class-data archives (" + bold("target/cds/") + ") and native libraries ("
                        + bold("target/native/") + ") that make later starts faster."));
        b.append(".TP\n").append(lines(bold(CompletionScript.PATH)))
                .append(lines("Completion for bash, and for zsh through bashcompinit (" + bold("docs/install.md")
                        + ")."));
    }

    /** The pages of docs/ in the order of its index, each with its title. */
    private static void seeAlso(StringBuilder b, Path repo) throws IOException {
        b.append(".PP\n").append(lines("In the repository, " + bold("README.md") + " and the reference in "
                + bold("docs/") + ":"));
        Matcher row = INDEX_ROW.matcher(Files.readString(repo.resolve("docs/README.md")));
        while (row.find()) {
            Path page = repo.resolve("docs").resolve(row.group(1));
            String title = Files.readAllLines(page).stream().filter(l -> l.startsWith("# ")).findFirst()
                    .map(l -> l.substring(2)).orElse("");
            b.append(".TP\n").append(lines(bold("docs/" + row.group(1)))).append(lines(escape(title)));
        }
        b.append(".PP\n.BR nc (1),\n.BR signal (7),\n.BR cgroups (7)\n");
    }
}
