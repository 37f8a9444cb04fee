package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.JavaPrograms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The help of every command: printed without a warning, and readable in a terminal of 80 columns. */
class HelpTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void helpLeavesStderrEmpty() throws Exception {
        for (String[] args : new String[][] {{"--help"}, {"check-config", "--help"}, {"ctl", "--help"}}) {
            // To files, so that every byte is there once the process has exited.
            Path out = dir.resolve("out");
            Path err = dir.resolve("err");
            Process p = new ProcessBuilder(JavaPrograms.sentinel(args)).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            assertTrue(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), String.join(" ", args));
            assertEquals(0, p.exitValue(), String.join(" ", args));
            assertTrue(Files.readString(out).contains("sentinel"), Files.readString(out));
            assertEquals("", Files.readString(err), String.join(" ", args));
        }
    }

    @Test
    void at80ColumnsNoLineIsLongerAndNoWordIsSplit() {
        for (CommandSpec spec : List.of(SentinelCommand.spec(), CtlCommand.spec())) {
            String narrow = help(spec, 80);
            for (String line : narrow.split("\n")) {
                assertTrue(line.length() <= 80, line.length() + " columns: '" + line + "'\n" + narrow);
            }
            // Wrapping may move words to another line, never cut one: the words are those of a help
            // too wide to wrap at all, in the same order.
            assertEquals(words(help(spec, 1000)), words(narrow), narrow);
        }
    }

    @Test
    void theNoteOfAnOptionStaysOnOneLineWhenItFits() {
        String help = help(SentinelCommand.spec(), 80);
        assertTrue(help.contains("(env SENTINEL_RESTART_DELAY_MAX, default 60s)"), help);
        assertTrue(help.contains("(env SENTINEL_STOP_SIGNAL, default TERM)"), help);
    }

    private static String help(CommandSpec spec, int width) {
        spec.usageMessage().autoWidth(false).width(width);
        return new CommandLine(spec).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static List<String> words(String text) {
        List<String> words = new ArrayList<>(Arrays.asList(text.strip().split("\\s+")));
        words.removeIf(String::isEmpty);
        return words;
    }
}
