package dev.sentinel.cli;

import dev.sentinel.settings.OutputTarget;
import dev.sentinel.testing.Processes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventJson;
import dev.sentinel.events.EventKind;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.HookSettings;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.time.UtcOffset;
import dev.sentinel.platform.CommandResolver;
import dev.sentinel.platform.Libc;
import dev.sentinel.platform.LibcSignaller;
import dev.sentinel.platform.SetsidLauncher;
import dev.sentinel.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Event hooks run as real shell commands, off the loop, bounded in time and in queue. */
class HookRunnerTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final List<String> output = Collections.synchronizedList(new ArrayList<>());
    private final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    private HookRunner hooks;
    private SetsidLauncher launcher;

    @BeforeEach
    void runner() throws Exception {
        CommandResolver resolver = CommandResolver.fromEnvironment();
        launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), true);
        hooks = new HookRunner(launcher, new LibcSignaller(new Libc()), new EventJson(UtcOffset.in(java.time.ZoneOffset.UTC)),
                name -> (stream, text) -> output.add(text), (name, w) -> warnings.add(name + ": " + w));
    }

    @AfterEach
    void close() {
        hooks.finish();
        hooks.close();
        launcher.close();
    }

    private void program(String name, String command, Duration timeout, EventKind... kinds) {
        ProgramSettings g = ProgramSettings.builder(name, List.of("app")).limit(new MemoryLimit(100 << 20))
                .grace(Duration.ofSeconds(3)).interval(Duration.ofMillis(250)).build();
        hooks.configure(g.toBuilder().hook(new HookSettings(command,
                kinds.length == 0 ? HookSettings.HOOKABLE : EnumSet.of(kinds[0], kinds), timeout)).build());
    }

    private static Event exited(String name, int run) {
        return new Event(1_700_000_000_000L, name, run, EventKind.EXITED, "exited with status 143 (SIGTERM)",
                Event.fields("pid", 4242, "exit_status", 143, "reason", "memory", "peak_rss_bytes", 209_715_200L));
    }

    @Test
    void aHookGetsTheEventOnItsStdinAndInItsEnvironmentAndItsOutputIsPrefixed() throws Exception {
        Path got = dir.resolve("got");
        program("web", "echo \"$SENTINEL_EVENT $SENTINEL_NAME $SENTINEL_PID $SENTINEL_EXIT_STATUS $SENTINEL_REASON "
                + "[$SENTINEL_RSS_BYTES]\"; cat > " + got, Duration.ofSeconds(10));
        hooks.emit(exited("web", 3));
        hooks.finish();
        assertEquals(List.of("hook[web] exited web 4242 143 memory []"), output);
        String line = Files.readString(got);
        assertTrue(line.startsWith("{\"time\":\"2023-11-14T22:13:20.000+00:00\",\"name\":\"web\",\"run\":3,"
                + "\"kind\":\"exited\""), line);
        assertTrue(line.endsWith("}\n"), line);
        assertEquals(Map.of("ok", 1L, "failed", 0L, "timeout", 0L, "unstartable", 0L), hooks.runs("web"));
        assertTrue(warnings.isEmpty(), warnings.toString());
    }

    @Test
    void onlyTheChosenKindsRunAHook() {
        program("web", "echo ran", Duration.ofSeconds(10), EventKind.GAVE_UP);
        hooks.emit(exited("web", 1));
        hooks.emit(new Event(1L, "web", 1, EventKind.STARTED, "started", Map.of()));
        hooks.finish();
        assertTrue(output.isEmpty(), output.toString());
        program("other", null, Duration.ofSeconds(10));
        hooks.emit(exited("other", 1));
        hooks.finish();
        assertTrue(output.isEmpty());
    }

    @Test
    void aFailingHookIsReportedOnceAndNotRetried() {
        program("web", "exit 3", Duration.ofSeconds(10));
        hooks.emit(exited("web", 1));
        hooks.finish();
        assertEquals(List.of("web: the hook for the exited event exited with status 3"), warnings);
        assertEquals(1L, hooks.runs("web").get("failed"));
    }

    @Test
    void aHookThatRunsOverItsTimeoutIsStoppedWithItsGroup() throws Exception {
        Path child = dir.resolve("child.pid");
        program("web", "sleep 60 & echo $! > " + child + "; wait", Duration.ofMillis(500));
        long start = System.nanoTime();
        hooks.emit(exited("web", 1));
        hooks.finish();
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10, "stopped at its timeout");
        assertEquals(List.of("web: the hook for the exited event ran over its 500ms: sent SIGTERM to its process group"),
                warnings);
        assertEquals(1L, hooks.runs("web").get("timeout"));
        long pid = Long.parseLong(Files.readString(child).trim());
        Await.until(WAIT, "the hook's background child is gone too", () -> !Processes.alive(pid));
    }

    @Test
    void aFullQueueDropsEventsAndSaysSo() throws Exception {
        Path go = dir.resolve("go");
        program("web", "while [ ! -e " + go + " ]; do sleep 0.05; done", Duration.ofSeconds(20));
        for (int run = 1; run <= 1 + HookRunner.QUEUE + 2; run++) {
            hooks.emit(exited("web", run));
        }
        assertEquals(2, hooks.dropped("web"), "one runs, " + HookRunner.QUEUE + " wait, the rest are dropped");
        assertEquals(2, warnings.size(), warnings.toString());
        assertTrue(warnings.get(1).startsWith("web: hook queue full (8 events waiting): dropped the exited event of run 11"),
                warnings.get(1));
        Files.writeString(go, "");
        hooks.finish();
        assertEquals(1L + HookRunner.QUEUE, hooks.runs("web").get("ok"));
    }

    @Test
    void aHookThatCannotStartIsOneLineAndTheNextEventStillRuns() {
        ProgramSettings g = ProgramSettings.builder("web", List.of("app")).limit(new MemoryLimit(100 << 20))
                .grace(Duration.ofSeconds(3)).interval(Duration.ofMillis(250)).build();
        hooks.configure(g.toBuilder().cwd(dir.resolve("no-such-dir")).priority(1).autostart(true)
                .output(OutputTarget.PREFIX).hook(new HookSettings("echo x", HookSettings.HOOKABLE,
                Duration.ofSeconds(5))).build());
        hooks.emit(exited("web", 1));
        hooks.finish();
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("web: the hook for the exited event cannot be started: "), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("; guarding goes on"), warnings.get(0));
        assertEquals(1L, hooks.runs("web").get("unstartable"));
    }
}
