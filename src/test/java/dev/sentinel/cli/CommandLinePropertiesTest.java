package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.settings.Option;
import dev.sentinel.settings.OptionTable;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The command line, the first input a user types: any list of words, built from the option table's
 * names with plausible, wrong and hostile values, is either help, a decided run (what would start,
 * with the COMMAND kept word for word) or one sentence and exit status 2 — never an exception, a
 * stack trace or the whole usage text. Nothing is started: {@link SentinelCommand#decide} is the
 * whole of the command line's checking.
 */
class CommandLinePropertiesTest {

    private static final List<Option<?>> OPTIONS = OptionTable.ALL.stream().filter(Option::onCommandLine).toList();

    /** Words an option's value is written in, right or wrong for the option at hand. */
    private static final List<String> VALUES = List.of("512M", "1.5G", "200MiB", "1048576", "50%", "101%", "0%", "0",
            "-1", "3s", "500ms", "2m", "1.5s", "0s", "never", "always", "on-failure", "auto", "off", "on", "rss",
            "pss", "cgroup", "SIGTERM", "TERM", "SIGKILL", "9", "0600", "0777", "999", "/tmp/sentinel-cli-prop",
            "relative/path", "", " ", "=", "--", "-m", "9".repeat(40) + "T", "1e308s", "NaN", "-0", "exited,stopped",
            "127.0.0.1:0", "localhost:99999", "[::1]:8000", "x".repeat(5000));

    @Provide
    Arbitrary<String> value() {
        return Arbitraries.oneOf(Arbitraries.of(VALUES), Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMaxLength(5),
                Arbitraries.strings().withChars("0123456789.kKmMgGtTiBs% -").ofMaxLength(12));
    }

    /** One option as a user writes it: a name with its value as the next word or after '=', or a flag. */
    @Provide
    Arbitrary<List<String>> optionWords() {
        Arbitrary<Option<?>> option = Arbitraries.of(OPTIONS);
        return Combinators.combine(option, value(), Arbitraries.integers().between(0, 3)).as((o, v, form) -> {
            String name = o.names().get(form % o.names().size());
            if (o.cli() == Option.Cli.FLAG && form < 3) {
                return List.of(name);
            }
            return form == 1 && name.startsWith("--") ? List.of(name + "=" + v) : List.of(name, v);
        });
    }

    @Provide
    Arbitrary<List<String>> stray() {
        return Arbitraries.oneOf(Arbitraries.of("--", "-", "--unknown", "-Z", "--memory", "--help=yes", "-mg",
                "--no-tui=false", "ctl", "-V").map(List::of),
                Arbitraries.strings().ofMaxLength(15).map(List::of));
    }

    @Provide
    Arbitrary<List<String>> commandLine() {
        Arbitrary<List<String>> word = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, optionWords()), net.jqwik.api.Tuple.of(1, stray()));
        Arbitrary<List<String>> options = word.list().ofMaxSize(8).map(ws -> ws.stream().flatMap(List::stream).toList());
        Arbitrary<List<String>> command = Arbitraries.oneOf(Arbitraries.just(List.<String>of()),
                Arbitraries.just(List.of("--", "app", "-m", "x")), Arbitraries.just(List.of("python3", "app.py", "--port", "80")),
                Arbitraries.strings().ofMinLength(1).ofMaxLength(10).list().ofMinSize(1).ofMaxSize(3));
        return Combinators.combine(options, command).as((o, c) -> {
            List<String> all = new ArrayList<>(o);
            all.addAll(c);
            // An argument of execve(2) is a C string: it cannot hold a NUL, so no command line can.
            return all.stream().map(w -> w.replace("\u0000", "")).toList();
        });
    }

    @Property(seed = "20261207", tries = 3000)
    void anyCommandLineIsHelpARunOrOneSentence(@ForAll("commandLine") List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        AtomicReference<Invocation> decided = new AtomicReference<>();
        int exit;
        try {
            exit = CommandModels.run(SentinelCommand.spec(), args.toArray(String[]::new), new PrintWriter(out, true),
                    new PrintWriter(err, true), "no command given.", parsed -> {
                        Invocation invocation = SentinelCommand.decide(parsed, System.getenv());
                        decided.set(invocation);
                        return invocation instanceof Invocation.Refused refused
                                ? refused.tell(new PrintWriter(err, true)) : 0;
                    });
        } catch (RuntimeException e) {
            throw new AssertionError("an exception escaped the command line " + shown(args), e);
        }
        String said = err.toString();
        if (exit == 2) {
            oneSentence(said, args);
            return;
        }
        assertEquals(0, exit, shown(args) + " exits " + exit);
        assertEquals("", said, shown(args) + " succeeds but says " + said);
        if (decided.get() == null) {
            assertFalse(out.toString().isBlank(), shown(args) + ": help or version printed nothing");
        } else if (decided.get() instanceof Invocation.OneCommand one) {
            List<String> command = one.settings().programs().get(0).command();
            assertFalse(command.isEmpty(), shown(args));
            assertTrue(String.join("\u0000", args).endsWith(String.join("\u0000", command)),
                    shown(args) + ": the command is not kept word for word: " + command);
        }
    }

    /** A refusal: a line that starts with the program's name, and at most a pointer to --help. */
    private static void oneSentence(String said, List<String> args) {
        String[] lines = said.split("\n", -1);
        assertTrue(lines.length >= 2 && lines[lines.length - 1].isEmpty(), shown(args) + " said " + said);
        assertTrue(lines[0].startsWith("sentinel: ") && lines[0].length() > "sentinel: ".length() + 5,
                shown(args) + " said " + said);
        assertTrue(lines.length == 2 || lines.length == 3 && lines[1].equals("Try 'sentinel --help' for the options."),
                shown(args) + " said more than a sentence: " + said);
        assertFalse(said.contains("Exception") || said.contains("\tat "), shown(args) + " said " + said);
        assertFalse(said.contains("Usage:"), shown(args) + " printed the whole usage: " + said);
    }

    private static String shown(List<String> args) {
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            b.append(" '").append(a.length() > 60 ? a.substring(0, 60) + "…" : a).append('\'');
        }
        return "[sentinel" + b + " ]";
    }
}
