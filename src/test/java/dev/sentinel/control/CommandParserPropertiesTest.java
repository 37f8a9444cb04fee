package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The socket protocol's parser: any line, of any characters, gives a command or an answer of one
 * line saying what is wrong, never an exception (the connection, and every other, must live on).
 */
class CommandParserPropertiesTest {

    private static final ProgramNames NAMES = new ProgramNames(List.of("web", "worker", "db"), false, "sentinel");

    @Provide
    Arbitrary<String> lines() {
        Arbitrary<String> verb = Arbitraries.of("status", "watch", "stop", "kill", "start", "restart", "limit",
                "grace", "reload", "events", "history", "health", "signal", "help", "STATUS", "Limit", "", "x");
        Arbitrary<String> word = Arbitraries.oneOf(Arbitraries.of("web", "worker", "db", "all", "--json", "json",
                        "sentinel", "500M", "80%", "0", "-1", "3s", "TERM", "SIGKILL", "9", "1e999", "NaN", "*"),
                Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(12));
        Arbitrary<String> structured = net.jqwik.api.Combinators.combine(verb, word.list().ofMaxSize(5),
                Arbitraries.of(" ", "  ", "\t", " \u000b "))
                .as((v, words, sep) -> v + (words.isEmpty() ? "" : sep + String.join(sep, words)));
        return Arbitraries.oneOf(structured, Arbitraries.strings().ofMaxLength(200),
                Arbitraries.strings().all().ofMaxLength(50));
    }

    @Property(seed = "20261207")
    void anyLineIsACommandOrOneLineSayingWhy(@ForAll("lines") String line) {
        for (ProgramNames names : List.of(NAMES, ProgramNames.NONE)) {
            Command c = CommandParser.parse(line, names);
            assertNotNull(c, line);
            if (c instanceof Command.Invalid invalid) {
                assertTrue(invalid.reason() != null && !invalid.reason().isBlank(), "a reason for " + line);
                assertFalse(invalid.reason().contains("\n") || invalid.reason().contains("\r"),
                        "one line: " + invalid.reason());
            }
        }
    }
}
