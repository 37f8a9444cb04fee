package dev.sentinel.config;

import dev.sentinel.events.EventKind;
import dev.sentinel.settings.HookSettings;
import java.util.EnumSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.OutputTarget;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.RestartSettings;
import dev.sentinel.platform.Signal;
import dev.sentinel.settings.KernelLimit;
import dev.sentinel.platform.cgroup.CgroupMode;
import dev.sentinel.settings.SentinelOptions;
import dev.sentinel.settings.SentinelSection;
import dev.sentinel.settings.TuiMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private ConfigFiles files;

    @BeforeEach
    void files() {
        files = new ConfigFiles(dir);
    }

    @Test
    void aProgramWithOnlyACommandGetsEveryDefault() {
        SentinelConfig config = files.load("""
                [programs.web]
                command = "python3 app.py"
                """);
        assertEquals(SentinelSection.EMPTY, config.sentinel());
        ProgramSettings web = config.programs().get(0);
        RestartSettings restart = new RestartSettings(RestartPolicy.ON_FAILURE, Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(60), 10);
        ProgramSettings guardian = ProgramSettings.builder("web", List.of("python3", "app.py"))
                .limit(MemoryLimit.parse("512M")).grace(Duration.ofSeconds(3)).interval(Duration.ofMillis(250))
                .tolerate(Duration.ZERO).restart(restart).stopSignal(Signal.TERM).build();
        assertEquals(guardian.toBuilder().priority(ProgramSettings.DEFAULT_PRIORITY).autostart(true)
                .output(OutputTarget.PREFIX).build(), web);
        assertEquals(dir.resolve("sentinel.toml"), config.file());
    }

    @Test
    void everyProgramKeyIsRead() {
        ProgramSettings p = files.program("""
                [programs.worker]
                command = ["bin/worker", "--queue", "jobs"]
                cwd = "/srv/worker"
                env = { QUEUE = "jobs", THREADS = 4, DEBUG = true }
                memory_limit = "1.5G"
                grace = "10s"
                interval = "100ms"
                tolerate = "2s"
                restart = "always"
                restart_delay = "500ms"
                restart_delay_max = "30s"
                stable_after = "5m"
                max_restarts = 0
                stop_signal = "SIGINT"
                priority = 5
                autostart = false
                output = "/var/log/worker.log"
                """);
        ProgramSettings g = p;
        assertEquals("worker", g.name());
        assertEquals(List.of("bin/worker", "--queue", "jobs"), g.command());
        assertEquals(Path.of("/srv/worker"), p.cwd());
        assertEquals(Map.of("QUEUE", "jobs", "THREADS", "4", "DEBUG", "true"), p.env());
        assertEquals(MemoryLimit.parse("1.5G"), g.limit());
        assertEquals(Duration.ofSeconds(10), g.grace());
        assertEquals(Duration.ofMillis(100), g.interval());
        assertEquals(Duration.ofSeconds(2), g.tolerate());
        assertEquals(new RestartSettings(RestartPolicy.ALWAYS, Duration.ofMillis(500), Duration.ofSeconds(30),
                Duration.ofMinutes(5), 0), g.restart());
        assertEquals(Signal.INT, g.stopSignal());
        assertEquals(5, p.priority());
        assertFalse(p.autostart());
        assertEquals(new OutputTarget.ToFile(Path.of("/var/log/worker.log")), p.output());
    }

    @Test
    void everySentinelKeyIsRead() {
        SentinelSection s = files.load("""
                [sentinel]
                socket = "/run/sentinel.sock"
                socket_mode = "0660"
                socket_group = "ops"
                metrics = false
                metrics_port = 9100
                metrics_host = "127.0.0.1"
                journal = "/var/log/sentinel.journal"
                tui = "never"
                keep_running = true

                [programs.a]
                command = "sleep 1"
                """).sentinel();
        assertEquals(SentinelSection.builder().set(SentinelOptions.SOCKET, Path.of("/run/sentinel.sock"))
                .set(SentinelOptions.SOCKET_MODE, 0660).set(SentinelOptions.SOCKET_GROUP, "ops")
                .set(SentinelOptions.METRICS, false).set(SentinelOptions.METRICS_PORT, 9100)
                .set(SentinelOptions.METRICS_HOST, "127.0.0.1")
                .set(SentinelOptions.JOURNAL, Path.of("/var/log/sentinel.journal"))
                .set(SentinelOptions.TUI, TuiMode.NEVER).set(SentinelOptions.KEEP_RUNNING, true).build(), s);
    }

    @Test
    void hookKeys() {
        SentinelConfig config = files.load("""
                [defaults]
                hook = "logger -t sentinel"
                hook_timeout = "3s"
                [programs.a]
                command = "sleep 1"
                hook_events = "exited, gave-up"
                [programs.b]
                command = "sleep 1"
                """);
        assertEquals(new HookSettings("logger -t sentinel",
                EnumSet.of(EventKind.EXITED, EventKind.GAVE_UP),
                Duration.ofSeconds(3)), config.programs().get(0).hook());
        assertEquals(HookSettings.HOOKABLE, config.programs().get(1).hook().kinds());
        assertEquals(HookSettings.NONE, files.load("""
                [programs.c]
                command = "sleep 1"
                """).programs().get(0).hook());
    }

    @Test
    void measureIsAProgramKeyWithADefault() {
        SentinelConfig config = files.load("""
                [defaults]
                measure = "pss"
                [programs.a]
                command = "sleep 1"
                [programs.b]
                command = "sleep 1"
                measure = "cgroup"
                """);
        assertEquals(dev.sentinel.settings.Measure.PSS, config.programs().get(0).measure());
        assertEquals(dev.sentinel.settings.Measure.CGROUP, config.programs().get(1).measure());
        assertEquals(dev.sentinel.settings.Measure.RSS, files.load("""
                [programs.c]
                command = "sleep 1"
                """).programs().get(0).measure());
    }

    @Test
    void containmentKeys() {
        SentinelConfig config = files.load("""
                [sentinel]
                cgroup = "require"
                [defaults]
                kernel_limit = "1G"
                [programs.a]
                command = "sleep 1"
                allow_swap = true
                [programs.b]
                command = "sleep 1"
                kernel_limit = "off"
                [programs.c]
                command = "sleep 1"
                """);
        assertEquals(CgroupMode.REQUIRE, config.sentinel().cgroup());
        assertEquals(new KernelLimit(KernelLimit.Mode.FIXED, 1L << 30, true), config.programs().get(0).kernel());
        assertEquals(KernelLimit.OFF, config.programs().get(1).kernel());
        assertEquals(new KernelLimit(KernelLimit.Mode.FIXED, 1L << 30, false), config.programs().get(2).kernel());
    }

    @Test
    void socketFalseTurnsTheSocketOff() {
        SentinelSection s = files.load("""
                [sentinel]
                socket = false
                [programs.a]
                command = "sleep 1"
                """).sentinel();
        assertEquals(Boolean.FALSE, s.socketEnabled());
        assertNull(s.socket());
    }

    @Test
    void sizesAndDurationsMayBeBareNumbersAsOnTheCommandLine() {
        ProgramSettings g = files.program("""
                [programs.a]
                command = "sleep 1"
                memory_limit = 1048576
                grace = 2
                interval = 0.5
                """);
        assertEquals(new MemoryLimit(1048576), g.limit());
        assertEquals(Duration.ofSeconds(2), g.grace());
        assertEquals(Duration.ofMillis(500), g.interval());
    }

    @Test
    void memoryLimitNoneOnlyWatches() {
        assertEquals(MemoryLimit.NONE, files.program("""
                [programs.a]
                command = "sleep 1"
                memory_limit = "none"
                """).limit());
    }

    @Test
    void stopSignalsAreReadWithOrWithoutSigInAnyCase() {
        for (String[] c : new String[][] {{"TERM", "TERM"}, {"SIGHUP", "HUP"}, {"int", "INT"}, {"QUIT", "QUIT"},
                {"USR1", "USR1"}, {"sigusr2", "USR2"}}) {
            assertEquals(Signal.valueOf(c[1]), files.program("[programs.a]\ncommand = \"sleep 1\"\nstop_signal = \""
                    + c[0] + "\"\n").stopSignal(), c[0]);
        }
    }

    @Test
    void outputIsPrefixDiscardOrAFile() {
        String head = "[programs.a]\ncommand = \"sleep 1\"\n";
        assertEquals(OutputTarget.PREFIX, files.program(head + "output = \"prefix\"").output());
        assertEquals(OutputTarget.DISCARD, files.program(head + "output = \"discard\"").output());
        assertEquals(new OutputTarget.ToFile(dir.resolve("logs/a.log")),
                files.program(head + "output = \"logs/a.log\"").output());
    }

    @Test
    void programsKeepTheFilesOrder() {
        List<ProgramSettings> programs = files.load("""
                [programs.zeta]
                command = "sleep 1"
                [programs.alpha]
                command = "sleep 1"
                [programs."api.v2"]
                command = "sleep 1"
                """).programs();
        assertEquals(List.of("zeta", "alpha", "api.v2"), programs.stream().map(ProgramSettings::name).toList());
    }

    @Test
    void defaultsApplyWhereTheProgramSaysNothingAndTheProgramWins() {
        List<ProgramSettings> programs = files.load("""
                [defaults]
                memory_limit = "1G"
                grace = "10s"
                restart = "never"
                stop_signal = "INT"

                [programs.a]
                command = "sleep 1"

                [programs.b]
                command = "sleep 1"
                grace = "1s"
                restart = "always"
                """).programs();
        ProgramSettings a = programs.get(0);
        ProgramSettings b = programs.get(1);
        assertEquals(MemoryLimit.parse("1G"), a.limit());
        assertEquals(Duration.ofSeconds(10), a.grace());
        assertEquals(RestartPolicy.NEVER, a.restart().policy());
        assertEquals(MemoryLimit.parse("1G"), b.limit());
        assertEquals(Duration.ofSeconds(1), b.grace());
        assertEquals(RestartPolicy.ALWAYS, b.restart().policy());
        assertEquals(Signal.INT, b.stopSignal());
    }

    @Test
    void envTablesMergeVariableByVariableAndTheProgramWins() {
        List<ProgramSettings> programs = files.load("""
                [defaults]
                env = { LANG = "C.UTF-8", LOG = "info" }

                [programs.a]
                command = "sleep 1"
                env = { LOG = "debug", PORT = "8080" }

                [programs.b]
                command = "sleep 1"
                """).programs();
        assertEquals(Map.of("LANG", "C.UTF-8", "LOG", "debug", "PORT", "8080"), programs.get(0).env());
        assertEquals(Map.of("LANG", "C.UTF-8", "LOG", "info"), programs.get(1).env());
    }

    @Test
    void defaultsMaySetEveryProgramKeyButTheCommand() {
        List<ProgramSettings> programs = files.load("""
                [defaults]
                cwd = "work"
                memory_limit = "64M"
                grace = "1s"
                interval = "1s"
                tolerate = "1s"
                restart = "always"
                restart_delay = "2s"
                restart_delay_max = "4s"
                stable_after = "8s"
                max_restarts = 3
                stop_signal = "HUP"
                priority = 1
                autostart = false
                instances = 2
                output = "discard"
                env = { A = "1" }

                [programs.a]
                command = "sleep 1"
                """).programs();
        assertEquals(List.of("a-1", "a-2"), programs.stream().map(ProgramSettings::name).toList());
        ProgramSettings a = programs.get(0);
        assertEquals(dir.resolve("work"), a.cwd());
        assertEquals(new RestartSettings(RestartPolicy.ALWAYS, Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), 3), a.restart());
        assertEquals(Signal.HUP, a.stopSignal());
        assertEquals(1, a.priority());
        assertFalse(a.autostart());
        assertEquals(OutputTarget.DISCARD, a.output());
        assertEquals(Map.of("A", "1"), a.env());
    }

    @Test
    void instancesAreNamedNameDashIAndExpandInstanceInEveryString() {
        List<ProgramSettings> programs = files.load("""
                [programs.web]
                command = "python3 -m http.server 80${INSTANCE}"
                cwd = "sites/${INSTANCE}"
                env = { WORKER = "w${INSTANCE}" }
                output = "logs/web-${INSTANCE}.log"
                instances = 3
                """).programs();
        assertEquals(List.of("web-1", "web-2", "web-3"), programs.stream().map(ProgramSettings::name).toList());
        ProgramSettings second = programs.get(1);
        assertEquals(List.of("python3", "-m", "http.server", "802"), second.command());
        assertEquals(dir.resolve("sites/2"), second.cwd());
        assertEquals(Map.of("WORKER", "w2"), second.env());
        assertEquals(new OutputTarget.ToFile(dir.resolve("logs/web-2.log")), second.output());
    }

    @Test
    void oneInstanceKeepsTheNameAndInstanceIsOne() {
        ProgramSettings p = files.program("""
                [programs.web]
                command = "serve --id ${INSTANCE}"
                instances = 1
                """, Map.of("INSTANCE", "from-the-environment"));
        assertEquals("web", p.name());
        assertEquals(List.of("serve", "--id", "1"), p.command());
    }

    @Test
    void relativePathsAreTakenFromTheFilesDirectory() {
        Path file = files.write("etc/sentinel.toml", """
                [sentinel]
                socket = "run/sentinel.socket"
                journal = "../var/journal"

                [programs.a]
                command = "sleep 1"
                cwd = "app"
                output = "logs/a.log"

                [programs.b]
                command = "sleep 1"
                cwd = "/abs/olute"
                output = "/var/log/b.log"
                """);
        SentinelConfig config;
        try {
            // The file named with a detour: paths are taken from where the file is, normalized.
            config = ConfigLoader.load(dir.resolve("etc/../etc/sentinel.toml"), Map.of());
        } catch (ConfigException e) {
            throw new AssertionError(e.problems().toString(), e);
        }
        Path etc = file.getParent();
        assertEquals(etc.resolve("run/sentinel.socket"), config.sentinel().socket());
        assertEquals(dir.resolve("var/journal"), config.sentinel().journal());
        assertEquals(etc.resolve("app"), config.programs().get(0).cwd());
        assertEquals(new OutputTarget.ToFile(etc.resolve("logs/a.log")), config.programs().get(0).output());
        assertEquals(Path.of("/abs/olute"), config.programs().get(1).cwd());
        assertEquals(new OutputTarget.ToFile(Path.of("/var/log/b.log")), config.programs().get(1).output());
    }

    @Test
    void aLongRestartDelayWithoutAWrittenCapRaisesTheCapAsTheCommandLineDoes() {
        RestartSettings r = files.program("""
                [programs.a]
                command = "sleep 1"
                restart_delay = "90s"
                """).restart();
        assertEquals(Duration.ofSeconds(90), r.delayMax());
    }

    @Test
    void checkFindsNothingInAValidFile() {
        Path file = files.write("""
                [programs.a]
                command = "sleep 1"
                """);
        assertTrue(ConfigLoader.check(file, Map.of()).isEmpty());
    }
}
