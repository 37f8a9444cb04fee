package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** sentinel.1: it renders without a warning, and it says what the models and docs say. */
class ManPageTest {

    private static final Path REPO = Path.of(System.getProperty("sentinel.repo", "."));
    private static final Map<String, String> UTF8 = Map.of("LANG", "C.UTF-8", "LC_ALL", "C.UTF-8");

    @Test
    void groffFormatsThePageWithoutAWarning() throws Exception {
        assumeTrue(ToolRun.installed("groff"), "groff is not installed (Debian: groff-base; .ci/run installs it)");
        ToolRun r = ToolRun.run(REPO, UTF8, List.of("groff", "-man", "-Tutf8", "-ww", "-z", ManPage.PATH));
        assertEquals("", r.stderr(), "groff -man -Tutf8 -ww -z " + ManPage.PATH);
        assertEquals(0, r.exit());
    }

    @Test
    void manRendersTheFileWithEverySectionAndOption() throws Exception {
        assumeTrue(ToolRun.installed("man"), "man is not installed (Debian: man-db; .ci/run installs it)");
        Map<String, String> env = new java.util.HashMap<>(UTF8);
        env.putAll(Map.of("MANWIDTH", "80", "MANPAGER", "cat", "PAGER", "cat"));
        ToolRun r = ToolRun.run(REPO, env, List.of("man", "--warnings", "-l", ManPage.PATH));
        assertEquals("", r.stderr(), "man --warnings -l " + ManPage.PATH);
        assertEquals(0, r.exit());
        // Bold and underline as a terminal gets them (overstrikes or SGR), and minus signs as ASCII.
        String page = r.stdout().replaceAll(".\b", "").replaceAll("\u001B\\[[0-9;]*m", "")
                .replace('\u2212', '-').replace('\u2010', '-');
        for (String heading : List.of("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "EXIT STATUS",
                "ENVIRONMENT", "FILES", "EXAMPLES", "SEE ALSO")) {
            assertTrue(page.contains("\n" + heading + "\n"), heading + " missing from\n" + page);
        }
        for (OptionSpec o : SentinelCommand.spec().options()) {
            assertTrue(page.contains(String.join(", ", o.names())), o.longestName() + " missing from\n" + page);
        }
        assertTrue(page.contains("sentinel check-config FILE"), page);
        assertTrue(page.contains("sentinel ctl [--socket PATH]"), page);
    }

    @Test
    void everyOptionNamesItsVariableAndDefault() throws Exception {
        String page = ManPage.render(REPO);
        int options = page.indexOf(".SH OPTIONS");
        int ctl = page.indexOf(".SS \"" + Troff.escape("sentinel ctl "));
        for (CommandSpec command : List.of(DocumentedCommands.sentinel(), DocumentedCommands.ctl())) {
            for (OptionSpec o : command.options()) {
                String entry = entry(page, command.name().equals("sentinel") ? options : ctl, o);
                String env = DocumentedCommands.environmentVariable(o);
                String def = DocumentedCommands.defaultValue(o);
                if (env != null) {
                    assertTrue(entry.contains(env), o.longestName() + " does not name " + env + ":\n" + entry);
                }
                if (def != null && !def.isEmpty()) {
                    assertTrue(entry.contains(Troff.escape(def)), o.longestName() + " does not say " + def + ":\n"
                            + entry);
                }
                assertFalse(entry.contains("${"), o.longestName() + " shows a variable:\n" + entry);
            }
        }
    }

    @Test
    void whatAHelpTextLeavesOutIsAdded() {
        assertEquals("How long to wait. Per program. Environment: \\fBX_WAIT\\fR. Default: \\fB5s\\fR.",
                ManPage.description(waitOption("How long to wait."), true));
        assertEquals("How long to wait, per program. (env X_WAIT, default 5s)", ManPage.description(
                waitOption("How long to wait, per program. (env X_WAIT, default ${DEFAULT-VALUE})"), true));
    }

    /** An option in a command whose variables are not interpolated, as DocumentedCommands gives them. */
    private static OptionSpec waitOption(String description) {
        CommandSpec spec = CommandSpec.create();
        spec.addOption(OptionSpec.builder("--wait").paramLabel("DURATION").defaultValue("${env:X_WAIT:-5s}")
                .description(description).build());
        spec.interpolateVariables(false);
        return spec.findOption("--wait");
    }

    @Test
    void theExamplesAreCommandLinesTheModelsAccept() {
        for (ManPage.Example e : ManPage.EXAMPLES) {
            for (String line : e.commands()) {
                List<String> words = Arrays.stream(line.split(" ")).dropWhile(w -> w.matches("[A-Z_]+=.*")).toList();
                if (!words.get(0).equals("sentinel")) {
                    continue; // echo ... | nc
                }
                String[] args = words.subList(1, words.size()).toArray(String[]::new);
                String[] rest = Arrays.copyOfRange(args, 1, args.length);
                CommandLine cli = switch (args[0]) {
                    case "ctl" -> new CommandLine(CtlCommand.spec());
                    case "check-config" -> new CommandLine(DocumentedCommands.checkConfig());
                    default -> {
                        rest = args;
                        yield new CommandLine(SentinelCommand.spec());
                    }
                };
                cli.setStopAtPositional(true);
                String[] given = rest;
                assertDoesNotThrow(() -> cli.parseArgs(given), line);
            }
        }
    }

    /** An option's entry in the page source: from its tag to the next request. */
    private static String entry(String page, int from, OptionSpec o) {
        assertTrue(from >= 0, "no section for " + o.longestName());
        String tag = ".TP\n" + Troff.bold(o.names()[0]);
        int start = page.indexOf(tag, from);
        assertTrue(start >= 0, o.longestName() + " has no entry");
        int end = page.indexOf("\n.", start + tag.length());
        return page.substring(start, end < 0 ? page.length() : end);
    }
}
