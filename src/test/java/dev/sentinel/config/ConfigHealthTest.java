package dev.sentinel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.settings.CheckAction;
import dev.sentinel.settings.CheckLevel;
import dev.sentinel.settings.CheckSettings;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.Readiness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program's [check] table, its readiness, and the start order between programs, as a file writes them. */
class ConfigHealthTest {

    @TempDir
    Path dir;

    private ConfigFiles files;

    @BeforeEach
    void files() {
        files = new ConfigFiles(dir);
    }

    private List<String> problems(String text) {
        return ConfigLoader.check(files.write(text), Map.of()).stream().map(p -> p.line() + ": " + p.key() + ": "
                + p.message()).toList();
    }

    private static ProgramSettings program(SentinelConfig c, String name) {
        return c.programs().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aCheckTableIsReadWithItsDefaultsAndTheDefaultsTable() {
        SentinelConfig c = files.load("""
                [defaults.check]
                period = "2s"
                [programs.web]
                command = "sleep 100"
                ready = "check"
                [programs.web.check]
                http = "http://127.0.0.1:8080/health"
                threshold = 5
                level = "ready"
                [programs.db]
                command = "sleep 100"
                check.tcp = "127.0.0.1:5432"
                check.on_failure = "stop"
                [programs.job]
                command = "sleep 100"
                check = { exec = ["pg_isready", "-q"], timeout = "1s" }
                """);
        CheckSettings web = program(c, "web").health().check();
        assertEquals(CheckSettings.Kind.HTTP, web.kind());
        assertEquals("http://127.0.0.1:8080/health", web.target());
        assertEquals(Duration.ofSeconds(2), web.period());
        assertEquals(Duration.ofSeconds(3), web.timeout());
        assertEquals(5, web.threshold());
        assertEquals(CheckLevel.READY, web.level());
        assertEquals(Readiness.CHECK, program(c, "web").health().ready());
        CheckSettings db = program(c, "db").health().check();
        assertEquals(CheckSettings.Kind.TCP, db.kind());
        assertEquals(CheckAction.STOP, db.onFailure());
        assertEquals(Duration.ofSeconds(2), db.period());
        CheckSettings job = program(c, "job").health().check();
        assertEquals(List.of("pg_isready", "-q"), job.exec());
        assertEquals(Duration.ofSeconds(1), job.timeout());
    }

    @Test
    void aStringExecCheckRunsWithShC() {
        SentinelConfig c = files.load("""
                [programs.web]
                command = "sleep 100"
                check.exec = "curl -sf localhost:8080 >/dev/null"
                """);
        assertEquals(List.of("/bin/sh", "-c", "curl -sf localhost:8080 >/dev/null"),
                program(c, "web").health().check().exec());
        assertEquals("exec curl -sf localhost:8080 >/dev/null", program(c, "web").health().check().describe());
    }

    @Test
    void badCheckValuesAreOneSentenceEachAtTheirLine() {
        List<String> p = problems("""
                [programs.web]
                command = "sleep 100"
                [programs.web.check]
                http = "ftp://host/x"
                tcp = "nohost"
                period = "0"
                level = "dead"
                threshhold = 3
                """);
        assertTrue(p.contains("4: programs.web.check.http: 'ftp://host/x' is not an http:// or https:// URL; use a "
                + "URL like \"http://127.0.0.1:8080/health\"."), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.startsWith("5: programs.web.check.tcp: 'nohost' is not an address")),
                p.toString());
        assertTrue(p.contains("6: programs.web.check.period: '0ms' is too short; use at least 1ms."), p.toString());
        assertTrue(p.contains("7: programs.web.check.level: 'dead' is not a check level; use \"alive\" or "
                + "\"ready\"."), p.toString());
        assertTrue(p.contains("8: programs.web.check.threshhold: unknown key; did you mean 'check.threshold'?"),
                p.toString());
    }

    @Test
    void twoChecksOrReadyCheckWithoutOneOrAWatchdogWithoutNotifyAreRefused() {
        assertEquals(List.of("3: programs.a.check.http: a program has one check; keep one of check.http, check.tcp "
                + "and check.exec."), problems("""
                [programs.a]
                command = "sleep 1"
                check.http = "http://localhost/"
                check.tcp = "localhost:80"
                """));
        assertEquals(List.of("3: programs.a.ready: ready = \"check\" needs a check; add one (check.http, check.tcp or "
                + "check.exec), or use ready = \"started\"."), problems("""
                [programs.a]
                command = "sleep 1"
                ready = "check"
                """));
        assertEquals(List.of("3: programs.a.watchdog: a watchdog needs ready = \"notify\": its WATCHDOG=1 pings come "
                + "over the notify socket."), problems("""
                [programs.a]
                command = "sleep 1"
                watchdog = "10s"
                """));
        assertEquals(List.of("1: programs.a: no command; add command = [\"program\", \"arg\"] or "
                + "command = \"program arg\".", "2: programs.a.check: a string is not a check; write it as a table "
                + "[programs.a.check] with http = \"http://127.0.0.1:8080/health\" (or tcp, or exec) and period, "
                + "timeout, threshold, level under it."), problems("""
                [programs.a]
                check = "http://x/"
                """));
    }

    @Test
    void whatOneProgramChecksOrNeedsCannotComeFromDefaults() {
        List<String> p = problems("""
                [defaults]
                after = ["db"]
                check.http = "http://localhost/"
                [programs.a]
                command = "sleep 1"
                """);
        assertEquals(List.of("2: defaults.after: 'after' names what one program depends on or checks; set it in each "
                + "[programs.NAME] table, not in [defaults].", "3: defaults.check.http: 'check.http' names what one "
                + "program depends on or checks; set it in each [programs.NAME] table, not in [defaults]."), p);
    }

    @Test
    void afterNamesProgramsOfTheFileAndAGroupMeansAllItsInstances() {
        SentinelConfig c = files.load("""
                [programs.db]
                command = "sleep 100"
                instances = 2
                [programs.cache]
                command = "sleep 100"
                [programs.web]
                command = "sleep 100"
                after = ["db"]
                requires = "cache"
                essential = true
                """);
        ProgramSettings web = program(c, "web");
        assertEquals(List.of("db-1", "db-2"), web.after());
        assertEquals(List.of("cache"), web.requires());
        assertEquals(List.of("db-1", "db-2", "cache"), web.startsAfter());
        assertTrue(web.essential());
    }

    @Test
    void anUnknownNameAndItselfAreRefused() {
        assertEquals(List.of("4: programs.web.after: 'dbb' is not a program of this file; did you mean 'db'?"),
                problems("""
                        [programs.web]
                        command = "sleep 1"
                        # the next line names a typo
                        after = ["dbb"]
                        [programs.db]
                        command = "sleep 1"
                        """));
        assertEquals(List.of("3: programs.web.requires: a program cannot start after itself; take 'web' out."),
                problems("""
                        [programs.web]
                        command = "sleep 1"
                        requires = ["web"]
                        """));
    }

    @Test
    void aCircleIsNamedAlongItsWay() {
        assertEquals(List.of("3: programs.web.after: the start order goes in a circle: web → api → db → web; take one "
                + "of these names out of its after or requires."), problems("""
                [programs.web]
                command = "sleep 1"
                after = ["api"]
                [programs.api]
                command = "sleep 1"
                requires = ["db"]
                [programs.db]
                command = "sleep 1"
                after = ["web"]
                """));
    }
}
