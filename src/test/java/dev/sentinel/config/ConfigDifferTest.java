package dev.sentinel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentinel.settings.ProgramSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigDifferTest {

    @TempDir
    Path dir;

    private ConfigFiles files;

    @BeforeEach
    void files() {
        files = new ConfigFiles(dir);
    }

    private static List<String> names(List<ProgramSettings> specs) {
        return specs.stream().map(ProgramSettings::name).toList();
    }

    @Test
    void anIdenticalFileChangesNothing() {
        String text = """
                [sentinel]
                metrics_port = 8000
                [programs.a]
                command = "sleep 1"
                [programs.b]
                command = "sleep 2"
                """;
        ConfigDiff d = ConfigDiffer.diff(files.load(text), files.load(text));
        assertEquals(new ConfigDiff(List.of("a", "b"), List.of(), List.of(), List.of(), List.of()), d);
    }

    @Test
    void programsAreSortedIntoUnchangedChangedRemovedAndAdded() {
        SentinelConfig old = files.load("""
                [programs.keep]
                command = "sleep 1"
                [programs.edit]
                command = "sleep 1"
                [programs.gone]
                command = "sleep 1"
                """);
        SentinelConfig fresh = files.load("""
                [programs.new]
                command = "sleep 1"
                [programs.edit]
                command = "sleep 1"
                memory_limit = "1G"
                [programs.keep]
                command = "sleep 1"
                """);
        ConfigDiff d = ConfigDiffer.diff(old, fresh);
        assertEquals(List.of("keep"), d.unchanged());
        assertEquals(List.of("edit"), names(d.changed()));
        assertEquals("1 GiB", d.changed().get(0).limit().toString());
        assertEquals(List.of("gone"), d.removed());
        assertEquals(List.of("new"), names(d.added()));
        assertEquals(List.of(), d.needsRestart());
    }

    @Test
    void aChangedDefaultChangesEveryProgramThatInheritsIt() {
        SentinelConfig old = files.load("""
                [defaults]
                env = { LOG = "info" }
                [programs.a]
                command = "a"
                [programs.b]
                command = "b"
                env = { LOG = "debug" }
                """);
        SentinelConfig fresh = files.load("""
                [defaults]
                env = { LOG = "warn" }
                [programs.a]
                command = "a"
                [programs.b]
                command = "b"
                env = { LOG = "debug" }
                """);
        ConfigDiff d = ConfigDiffer.diff(old, fresh);
        assertEquals(List.of("b"), d.unchanged());
        assertEquals(List.of("a"), names(d.changed()));
    }

    @Test
    void moreInstancesAddProgramsAndFewerRemoveThem() {
        SentinelConfig two = files.load("[programs.w]\ncommand = \"w\"\ninstances = 2\n");
        SentinelConfig three = files.load("[programs.w]\ncommand = \"w\"\ninstances = 3\n");
        ConfigDiff up = ConfigDiffer.diff(two, three);
        assertEquals(List.of("w-1", "w-2"), up.unchanged());
        assertEquals(List.of("w-3"), names(up.added()));
        assertEquals(List.of("w-3"), ConfigDiffer.diff(three, two).removed());
    }

    @Test
    void changedSentinelKeysNeedARestartOfSentinel() {
        SentinelConfig old = files.load("""
                [sentinel]
                socket = "/tmp/a.socket"
                socket_mode = "0600"
                metrics = true
                metrics_port = 8000
                metrics_host = "0.0.0.0"
                tui = "auto"
                [programs.a]
                command = "a"
                """);
        SentinelConfig fresh = files.load("""
                [sentinel]
                socket = false
                socket_mode = "0660"
                socket_group = "ops"
                metrics = false
                metrics_port = 9000
                metrics_host = "0.0.0.0"
                journal = "/var/log/s.journal"
                tui = "never"
                [programs.a]
                command = "a"
                """);
        assertEquals(List.of(
                "socket changed from /tmp/a.socket to false: takes effect when Sentinel restarts",
                "socket_mode changed from 0600 to 0660: takes effect when Sentinel restarts",
                "socket_group changed from the default to ops: takes effect when Sentinel restarts",
                "metrics changed from true to false: takes effect when Sentinel restarts",
                "metrics_port changed from 8000 to 9000: takes effect when Sentinel restarts",
                "journal changed from the default to /var/log/s.journal: takes effect when Sentinel restarts",
                "tui changed from auto to never: takes effect when Sentinel restarts"),
                ConfigDiffer.diff(old, fresh).needsRestart());
    }

    @Test
    void keepRunningAppliesAtOnceAndNeedsNoRestart() {
        SentinelConfig old = files.load("[sentinel]\nkeep_running = false\n[programs.a]\ncommand = \"a\"\n");
        SentinelConfig fresh = files.load("[sentinel]\nkeep_running = true\n[programs.a]\ncommand = \"a\"\n");
        ConfigDiff d = ConfigDiffer.diff(old, fresh);
        assertEquals(List.of(), d.needsRestart());
        assertEquals(List.of("a"), d.unchanged());
    }
}
