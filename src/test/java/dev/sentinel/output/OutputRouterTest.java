package dev.sentinel.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.OutputTarget;
import dev.sentinel.platform.Child;
import dev.sentinel.platform.CommandResolver;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Libc;
import dev.sentinel.platform.LibcSignaller;
import dev.sentinel.platform.OutputSink;
import dev.sentinel.platform.SetsidLauncher;
import dev.sentinel.platform.Signal;
import dev.sentinel.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputRouterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void discardSendsEverythingToDevNull() throws Exception {
        CapturedStream out = CapturedStream.flowing();
        try (OutputRouter router = OutputRouter.headless(out.print, out.print, List.of("noisy"), w -> { });
             Programs programs = new Programs()) {
            OutputRoute route = router.route("noisy", OutputTarget.DISCARD);
            assertTrue(route.discard());
            assertNull(route.capture());
            // 50 MB with nobody reading: only /dev/null takes it this fast.
            Child c = programs.start(route, "head -c 50000000 /dev/zero; head -c 50000000 /dev/zero >&2");
            Await.until(WAIT, "the program exits", () -> c.exitStatus().isPresent());
            assertEquals(0, c.exitStatus().getAsInt());
        }
        assertEquals("", out.text());
    }

    @Test
    void prefixGoesToTheConsoleAndAFileSharedByTwoProgramsIsOpenedOnce() throws Exception {
        CapturedStream out = CapturedStream.flowing();
        CapturedStream err = CapturedStream.flowing();
        Path log = dir.resolve("both.log");
        try (OutputRouter router = OutputRouter.headless(out.print, err.print, List.of("web", "worker", "db"), w -> { });
             Programs programs = new Programs()) {
            programs.start(router.route("web", OutputTarget.PREFIX), "echo hello");
            OutputSink a = router.route("worker", new OutputTarget.ToFile(log)).capture();
            OutputSink b = router.route("db", new OutputTarget.ToFile(dir.resolve(".").resolve("both.log"))).capture();
            for (int i = 0; i < 100; i++) {
                a.line(OutputSink.Stream.STDOUT, "worker-" + i);
                b.line(OutputSink.Stream.STDERR, "db-" + i);
            }
            Await.until(WAIT, "the prefixed line", () -> out.lines().size() == 1);
            Await.until(WAIT, "both programs' lines in the file", () -> lines(log).size() == 200);
        }
        assertEquals(List.of("web    | hello"), out.lines());
        assertEquals(100, lines(log).stream().filter(l -> l.matches("worker-\\d+")).count());
        assertEquals(100, lines(log).stream().filter(l -> l.matches("db-\\d+")).count());
        assertTrue(Files.list(dir).noneMatch(p -> p.getFileName().toString().startsWith("both.log.")),
                "one writer: no rotation fight");
    }

    @Test
    void aProgramSpecGivesItsLaunchSpecWithItsOutputRouted() throws Exception {
        Path log = dir.resolve("app.log");
        ProgramSettings guardian = ProgramSettings.builder("app", List.of("sh", "-c", "pwd; echo $GREETING"))
                .limit(MemoryLimit.NONE).grace(Duration.ofSeconds(3)).interval(Duration.ofMillis(250)).build();
        ProgramSettings spec = guardian.toBuilder().cwd(dir).env(Map.of("GREETING", "hi"))
                .priority(ProgramSettings.DEFAULT_PRIORITY).autostart(true).output(new OutputTarget.ToFile(log))
                .build();
        try (OutputRouter router = OutputRouter.headless(System.out, System.err, List.of("app"), w -> { })) {
            LaunchSpec launch = router.launchSpec(spec);
            assertEquals(guardian.command(), launch.command());
            assertEquals(dir, launch.cwd());
            assertEquals(Map.of("GREETING", "hi"), launch.env());
            assertFalse(launch.discard());
            CommandResolver resolver = CommandResolver.fromEnvironment();
            Child c = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), false).launch(launch);
            try {
                Await.until(WAIT, () -> "both lines, saw " + lines(log), () -> lines(log).size() == 2);
            } finally {
                new LibcSignaller(new Libc()).signalGroup(c.pgid(), Signal.KILL);
            }
        }
        assertEquals(List.of(dir.toRealPath().toString(), "hi"), lines(log));
    }

    @Test
    void aFileThatCannotBeOpenedIsOneSentence() {
        Path bad = dir.resolve("no/such/dir/out.log");
        try (OutputRouter router = OutputRouter.headless(System.out, System.err, List.of("x"), w -> { })) {
            IOException e = assertThrows(IOException.class, () -> router.route("x", new OutputTarget.ToFile(bad)));
            assertEquals("cannot open the output file " + bad + " for appending: its directory "
                    + bad.getParent() + " does not exist", e.getMessage());
        }
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            return List.of();
        }
    }
}
