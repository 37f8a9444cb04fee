package dev.sentinel.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * picocli command models built in code rather than from annotations. Reading annotations makes
 * the JDK generate a proxy class per annotation type and reflect over every field, about 30 ms of
 * each start-up (BENCHMARKS.md); a guardian is started far more often than its help is read.
 */
final class CommandModels {

    /**
     * picocli's own switch (it reads only system properties): type converters it must not register.
     * It registers the java.time and java.sql ones by reflection, and asking for their factory
     * methods makes the JVM load every type named in those classes' public methods (chronologies,
     * formatters, JDBC drivers): some 35 classes and 0.5 MiB, resident for the whole run, that no
     * option of Sentinel needs, since every option taking a duration has a converter of its own.
     */
    private static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";
    private static final String UNUSED_CONVERTERS = "java\\.time\\..*,java\\.sql\\..*";

    private CommandModels() {
    }

    /** A command with Sentinel's usage layout ({@link HelpSections}): call {@link #addStandardHelp} last. */
    static CommandSpec command(String name, String header, String[] synopsis, String description, String... footer) {
        return command(name, Map.of(), header, synopsis, description, footer);
    }

    /** As {@link #command(String, String, String[], String, String...)}, with headings in the option list. */
    static CommandSpec command(String name, Map<String, String> headings, String header, String[] synopsis,
            String description, String... footer) {
        CommandSpec spec = CommandSpec.create().name(name).versionProvider(new Version());
        spec.usageMessage()
                .sortOptions(false)
                .autoWidth(true)
                .headerHeading("")
                .header(header)
                .synopsisHeading("%nUsage: ")
                .customSynopsis(synopsis)
                .descriptionHeading("%n")
                .description(description)
                .optionListHeading("%nOptions:%n")
                .footerHeading("%n")
                .footer(footer);
        HelpSections.install(spec, headings);
        return spec;
    }

    /** Adds {@code -h/--help} and {@code -V/--version}; call after the command's own options so they list last. */
    static void addStandardHelp(CommandSpec spec) {
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                .description("Show this help message and exit.").build());
        spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                .description("Print version information and exit.").build());
    }

    /**
     * Parses {@code args} against {@code spec}; prints help or the version when asked, turns bad
     * usage into one sentence and exit status 2, and otherwise runs {@code body}.
     */
    static int run(CommandSpec spec, String[] args, PrintWriter out, PrintWriter err, String whenNoCommand,
            ToIntFunction<ParseResult> body) {
        if (System.getProperty(CONVERTER_EXCLUDES) == null) {
            System.setProperty(CONVERTER_EXCLUDES, UNUSED_CONVERTERS);
        }
        CommandLine cli = new CommandLine(spec);
        cli.setOut(out);
        cli.setErr(err);
        cli.setStopAtPositional(true);
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (ParameterException e) {
            return UsageErrors.report(spec.qualifiedName(), whenNoCommand, e, err);
        }
        if (CommandLine.printHelpIfRequested(parsed)) {
            return 0;
        }
        return body.applyAsInt(parsed);
    }

    /** The typed value of an option after parsing: what was given, else its default. */
    static <T> T value(ParseResult parsed, String option) {
        return parsed.commandSpec().findOption(option).getValue();
    }
}
