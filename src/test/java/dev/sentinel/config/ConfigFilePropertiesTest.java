package dev.sentinel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * The config file: versions of examples/sentinel.toml with lines dropped, doubled, swapped, cut,
 * or bytes changed, and documents made of random keys and values, either load or fail with
 * problems that each name the file, a line and what is wrong — never another exception, which
 * would be a stack trace for the user (and, on a reload, a risk to the programs running).
 */
class ConfigFilePropertiesTest {

    private static final Path REPO = Path.of(System.getProperty("sentinel.repo", ".")).toAbsolutePath().normalize();
    private static List<String> example;
    private static Path dir;

    @BeforeContainer
    static void readTheExample() throws IOException {
        example = Files.readAllLines(REPO.resolve("examples/sentinel.toml"));
        dir = Files.createTempDirectory("config-properties");
    }

    @AfterContainer
    static void removeTheFiles() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    /** One change to a list of lines. */
    private interface Mutation {
        void apply(List<String> lines);
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        Arbitrary<Integer> at = Arbitraries.integers().between(0, 10_000);
        Arbitrary<String> junk = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20),
                Arbitraries.of("[", "]", "=", "\"", "'''", "\"\"\"", "#", "[[programs]]", "[programs.x]",
                        "command = 1", "memory_limit = \"-5M\"", "grace = \"1e999s\"", "\u0000", "\ufeff",
                        "${UNSET}", "${", "x = [1, \"a\"]", "x.y.z = 1", "programs = 3", "= 1", "a = b"));
        Arbitrary<Mutation> one = Arbitraries.oneOf(
                at.map(i -> lines -> {
                    if (!lines.isEmpty()) {
                        lines.remove(i % lines.size());
                    }
                }),
                at.map(i -> lines -> {
                    if (!lines.isEmpty()) {
                        lines.add(i % lines.size(), lines.get(i % lines.size()));
                    }
                }),
                Combinators.combine(at, at).as((i, j) -> lines -> {
                    if (!lines.isEmpty()) {
                        String a = lines.get(i % lines.size());
                        lines.set(i % lines.size(), lines.get(j % lines.size()));
                        lines.set(j % lines.size(), a);
                    }
                }),
                Combinators.combine(at, junk).as((i, s) -> lines -> lines.add(lines.isEmpty() ? 0 : i % lines.size(), s)),
                Combinators.combine(at, at, junk).as((i, j, s) -> lines -> {
                    if (!lines.isEmpty()) {
                        String l = lines.get(i % lines.size());
                        int k = l.isEmpty() ? 0 : j % l.length();
                        lines.set(i % lines.size(), l.substring(0, k) + s + l.substring(k));
                    }
                }),
                at.map(i -> lines -> {
                    if (!lines.isEmpty()) {
                        lines.subList(i % lines.size(), lines.size()).clear();
                    }
                }));
        return one.list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(seed = "20261207", tries = 500)
    void aChangedExampleLoadsOrSaysWhereItIsWrong(@ForAll("mutations") List<Mutation> changes) {
        List<String> lines = new ArrayList<>(example);
        for (Mutation m : changes) {
            m.apply(lines);
        }
        loadsOrNamesFileAndLine((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> documents() {
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("command", "memory_limit", "grace", "restart",
                        "interval", "stop_signal", "kernel_limit", "tolerate", "cwd", "env", "output", "priority",
                        "autostart", "after", "requires", "essential", "health", "socket", "metrics_port",
                        "shutdown_timeout", "container_limit", "cgroup", "tui", "journal", "keep_running"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8));
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("\"sleep 1\"", "\"500M\"", "\"80%\"", "\"3s\"",
                        "true", "0", "-1", "9223372036854775808", "1e400", "[]", "[\"a\", \"b\"]", "{}",
                        "{ a = 1 }", "\"\"", "\"always\"", "\"TERM\"", "nan", "inf", "1979-05-27T07:32:00Z",
                        "\"5\\nG\"", "\"\\u001b[2J80%\"", "\"a\\tb\\r\"", "\"\\u0085\\u2028\""),
                Arbitraries.strings().ofMaxLength(10).map(s -> "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"")
                        + "\""));
        Arbitrary<String> pair = Combinators.combine(key, value).as((k, v) -> k + " = " + v);
        Arbitrary<String> header = Arbitraries.oneOf(Arbitraries.of("[sentinel]", "[defaults]", "[programs.a]",
                "[programs.b]", "[programs.a.env]", "[programs.a.health]", "[programs]", "[other]", "[[programs.c]]"));
        Arbitrary<String> section = Combinators.combine(header, pair.list().ofMaxSize(6))
                .as((h, ps) -> h + "\n" + String.join("\n", ps));
        return section.list().ofMaxSize(5).map(s -> String.join("\n", s) + "\n");
    }

    @Property(seed = "20261207", tries = 500)
    void aRandomDocumentLoadsOrSaysWhereItIsWrong(@ForAll("documents") String text) {
        loadsOrNamesFileAndLine(text.getBytes(StandardCharsets.UTF_8));
    }

    @Property(seed = "20261207", tries = 300)
    void anyBytesLoadOrSayWhereTheyAreWrong(@ForAll byte[] bytes) {
        loadsOrNamesFileAndLine(bytes);
    }

    private static void loadsOrNamesFileAndLine(byte[] text) {
        Path file = dir.resolve("sentinel.toml");
        try {
            Files.write(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            SentinelConfig config = ConfigLoader.load(file, Map.of());
            assertFalse(config.programs().isEmpty(), "a config that loads has programs");
        } catch (ConfigException e) {
            assertFalse(e.problems().isEmpty(), "a failure names at least one problem");
            for (ConfigProblem p : e.problems()) {
                assertEquals(file, p.file(), p.toString());
                assertTrue(p.line() >= 0, p.toString());
                assertTrue(p.message() != null && !p.message().isBlank(), p.toString());
                assertFalse(p.toString().contains("Exception"), "no exception's name for the user: " + p);
                assertTrue(p.toString().startsWith(file.toString()), p.toString());
                assertTrue(p.toString().chars().noneMatch(c -> c < 0x20 || c == 0x7f),
                        "one line, no control character: " + p.toString().replace("\u001b", "ESC"));
            }
        }
    }
}
