package dev.sentinel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.settings.OutputTarget;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.SentinelSection;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterpolationTest {

    private static final Map<String, String> ENV = Map.of("HOST", "db.local", "PORT", "5432", "EMPTY", "");

    @TempDir
    Path dir;

    private ConfigFiles files;

    @BeforeEach
    void files() {
        files = new ConfigFiles(dir);
    }

    private static String expand(String text) {
        return new Interpolator(ENV, null).expand(text);
    }

    @Test
    void aSetVariableIsReplaced() {
        assertEquals("db.local:5432", expand("${HOST}:${PORT}"));
    }

    @Test
    void aDefaultIsUsedWhenTheVariableIsUnsetOrEmpty() {
        assertEquals("8080", expand("${WEB_PORT:-8080}"));
        assertEquals("fallback", expand("${EMPTY:-fallback}"));
        assertEquals("db.local", expand("${HOST:-other}"));
        assertEquals("", expand("${NOPE:-}"));
    }

    @Test
    void aDashDefaultIsUsedOnlyWhenTheVariableIsUnset() {
        assertEquals("", expand("${EMPTY-fallback}"));
        assertEquals("fallback", expand("${NOPE-fallback}"));
    }

    @Test
    void aDefaultIsLiteralText() {
        assertEquals("a:b $x", expand("${NOPE:-a:b $x}"));
    }

    @Test
    void twoDollarsAreOneLiteralDollar() {
        assertEquals("price: $5 and ${HOST}", expand("price: $$5 and $${HOST}"));
    }

    @Test
    void aDollarBeforeAnythingElseIsKeptForTheShell() {
        assertEquals("echo $HOME $(date) $", expand("echo $HOME $(date) $"));
    }

    @Test
    void anUnsetVariableWithoutADefaultIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> expand("${DB_PASS}"));
        assertEquals("${DB_PASS} is not set; set DB_PASS in Sentinel's environment, or give a default: "
                + "${DB_PASS:-value}.", e.getMessage());
    }

    @Test
    void anUnclosedOrMalformedReferenceIsAnError() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> expand("a ${HOST"))
                .getMessage().startsWith("'${HOST' has no closing brace"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> expand("${1X}"))
                .getMessage().startsWith("'${1X}' is not a variable reference"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> expand("${}"))
                .getMessage().startsWith("'${}' is not a variable reference"));
    }

    @Test
    void variablesAreExpandedInCommandsArraysEnvTablesAndPaths() {
        ProgramSettings p = files.program("""
                [programs.app]
                command = "psql -h ${HOST} -p ${PORT}"
                cwd = "/srv/${HOST}"
                env = { URL = "postgres://${HOST}:${PORT}", MODE = "${MODE:-dev}" }
                output = "logs/${HOST}.log"
                """, ENV);
        assertEquals(List.of("psql", "-h", "db.local", "-p", "5432"), p.command());
        assertEquals(Path.of("/srv/db.local"), p.cwd());
        assertEquals(Map.of("URL", "postgres://db.local:5432", "MODE", "dev"), p.env());
        assertEquals(new OutputTarget.ToFile(dir.resolve("logs/db.local.log")), p.output());
        assertEquals(List.of("psql", "-h", "db.local"), files.program("""
                [programs.arr]
                command = ["psql", "-h", "${HOST}"]
                """, ENV).command());
    }

    @Test
    void variablesAreExpandedBeforeTheCommandIsSplit() {
        assertEquals(List.of("echo", "a", "b", "c d"), files.program("""
                [programs.a]
                command = "echo ${WORDS} '${QUOTED}'"
                """, Map.of("WORDS", "a b", "QUOTED", "c d")).command());
    }

    @Test
    void variablesAreExpandedInTheSentinelTable() {
        SentinelSection s = files.load("""
                [sentinel]
                socket = "/run/${HOST}.socket"
                metrics_host = "${BIND:-127.0.0.1}"
                [programs.a]
                command = "sleep 1"
                """, ENV).sentinel();
        assertEquals(Path.of("/run/db.local.socket"), s.socket());
        assertEquals("127.0.0.1", s.metricsHost());
    }

    @Test
    void anUnsetVariableIsReportedAtTheArrayItemsLineWithTheKey() {
        ConfigProblem p = files.problem("""
                [programs.app]
                command = [
                  "psql",
                  "--password=${DB_PASS}",
                ]
                """, ENV);
        assertEquals(4, p.line());
        assertEquals("programs.app.command", p.key());
        assertTrue(p.message().startsWith("${DB_PASS} is not set"), p.message());
    }

    @Test
    void anArrayItemAfterACommentIsReportedAtItsOwnLine() {
        List<ConfigProblem> problems = files.problems("""
                [programs.app]
                command = ["psql", "${A}", # the host
                  # the port:
                  "${B}"]
                """, ENV);
        assertEquals(List.of(2, 4), problems.stream().map(ConfigProblem::line).toList(), problems.toString());
    }

    @Test
    void anUnsetVariableInAnEnvTableIsReportedAtItsVariable() {
        ConfigProblem p = files.problem("""
                [programs.app]
                command = "app"

                [programs.app.env]
                MODE = "prod"
                SECRET = "${SECRET}"
                """, ENV);
        assertEquals(6, p.line());
        assertEquals("programs.app.env.SECRET", p.key());
    }

    @Test
    void anUnsetVariableInDefaultsIsReportedOnceAtTheDefault() {
        ConfigProblem p = files.problem("""
                [defaults]
                env = { TOKEN = "${TOKEN}" }
                [programs.a]
                command = "a"
                [programs.b]
                command = "b"
                """, ENV);
        assertEquals(2, p.line());
        assertEquals("defaults.env.TOKEN", p.key());
    }

    @Test
    void instanceOutsideAProgramComesFromTheEnvironment() {
        assertEquals(Path.of("/run/s-7.socket"), files.load("""
                [sentinel]
                socket = "/run/s-${INSTANCE}.socket"
                [programs.a]
                command = "a"
                """, Map.of("INSTANCE", "7")).sentinel().socket());
    }

    @Test
    void instanceInDefaultsIsTheInstanceOfEachProgram() {
        List<ProgramSettings> programs = files.load("""
                [defaults]
                env = { SLOT = "${INSTANCE}" }
                [programs.w]
                command = "w"
                instances = 2
                """).programs();
        assertEquals(Map.of("SLOT", "1"), programs.get(0).env());
        assertEquals(Map.of("SLOT", "2"), programs.get(1).env());
    }
}
