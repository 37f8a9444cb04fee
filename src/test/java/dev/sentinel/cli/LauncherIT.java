package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/sentinel, the launcher users type, with the jar this build packaged (so it runs after
 * {@code mvn package}, in the integration-test phase). Each test copies the jar into its own
 * directory, where the launcher writes its class-data archive and native-library copies.
 */
class LauncherIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path jar;

    @BeforeEach
    void copyTheJar() throws IOException {
        Path built = JavaPrograms.leakerClassDir().getParent().resolve("sentinel.jar");
        assertTrue(Files.isRegularFile(built), "no " + built + ": the integration tests need mvn package first");
        jar = Files.copy(built, dir.resolve("sentinel.jar"));
    }

    @Test
    void theFirstRunLeavesAnArchiveAndTheNativeLibrariesBesideTheJar() throws IOException {
        try (RunningProcess s = launcher("--no-tui", "--no-socket", "--no-metrics", "--", "sh", "-c", "exit 7")) {
            assertEquals(7, s.awaitExit(WAIT), String.join("\n", s.stderr()));
        }
        try (Stream<Path> archives = Files.list(dir.resolve("cds"))) {
            assertTrue(archives.anyMatch(p -> p.toString().endsWith(".jsa")), "no class-data archive in " + dir);
        }
        assertTrue(Files.isRegularFile(dir.resolve("native/libjnidispatch.so")));
        try (Stream<Path> natives = Files.list(dir.resolve("native"))) {
            assertTrue(natives.anyMatch(p -> p.getFileName().toString().startsWith("libjunixsocket-native-")));
        }
    }

    @Test
    void aRunningSentinelMapsTheArchiveAndTheCopiesNotTemporaryFiles() throws IOException {
        Path socket = dir.resolve("s.socket");
        try (RunningProcess s = launcher("--no-tui", "--socket", socket.toString(), "--no-metrics", "--", "sleep", "60")) {
            Await.until(WAIT, "the control socket", () -> Files.exists(socket));
            // The launcher execs java, so its pid is Sentinel's.
            String maps = Files.readString(Path.of("/proc/" + s.pid() + "/maps"));
            assertTrue(maps.contains(dir.resolve("cds").toString()), "archive not mapped:\n" + maps);
            assertTrue(maps.contains(dir.resolve("native/libjnidispatch.so").toString()), maps);
            assertTrue(maps.contains(dir.resolve("native/libjunixsocket-native-").toString()), maps);
            // The native-heap trimming flag only where the JDK running Sentinel has it.
            Runtime.Version v = javaVersion(Path.of("/proc/" + s.pid() + "/exe").toRealPath());
            boolean trims = v.feature() >= 22 || (v.feature() == 21 && v.update() >= 2)
                    || (v.feature() == 17 && v.update() >= 10);
            String cmdline = Files.readString(Path.of("/proc/" + s.pid() + "/cmdline")).replace('\0', ' ');
            assertEquals(trims, cmdline.contains(" -XX:TrimNativeHeapInterval=10000 "), v + ": " + cmdline);
            s.signal("TERM");
            assertEquals(143, s.awaitExit(WAIT));
        }
    }

    @Test
    void firstRunsStartedTogetherAllSucceed() {
        // Each writes the archive and copies the native libraries; the last to finish wins, and a
        // loser must still start its program (it once failed to rename a temporary file the
        // winner had already moved).
        List<RunningProcess> runs = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                runs.add(launcher("--no-tui", "--no-socket", "--no-metrics", "--", "sh", "-c", "exit 5"));
            }
            for (RunningProcess s : runs) {
                assertEquals(5, s.awaitExit(WAIT), String.join("\n", s.stderr()));
            }
        } finally {
            runs.forEach(RunningProcess::close);
        }
    }

    @Test
    void aStaleArchiveIsReplacedWhenTheJarChanges() throws Exception {
        try (RunningProcess s = launcher("--no-tui", "--no-socket", "--no-metrics", "--", "true")) {
            assertEquals(0, s.awaitExit(WAIT));
        }
        Path archive;
        try (Stream<Path> archives = Files.list(dir.resolve("cds"))) {
            archive = archives.filter(p -> p.toString().endsWith(".jsa")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(archive, java.nio.file.attribute.FileTime.fromMillis(0));
        Files.setLastModifiedTime(dir.resolve("native/complete"), java.nio.file.attribute.FileTime.fromMillis(0));
        try (RunningProcess s = launcher("--no-tui", "--no-socket", "--no-metrics", "--", "true")) {
            assertEquals(0, s.awaitExit(WAIT));
        }
        assertTrue(Files.getLastModifiedTime(archive).toMillis() > 0, "the archive was not rebuilt");
        assertTrue(Files.getLastModifiedTime(dir.resolve("native/complete")).toMillis() > 0,
                "the native libraries were not copied again");
    }

    /** The JAVA_VERSION in the release file of the JDK that {@code java} belongs to. */
    private static Runtime.Version javaVersion(Path java) throws IOException {
        Path release = java.getParent().getParent().resolve("release");
        String line = Files.readAllLines(release).stream().filter(l -> l.startsWith("JAVA_VERSION="))
                .findFirst().orElseThrow();
        return Runtime.Version.parse(line.substring(line.indexOf('=') + 1).replace("\"", ""));
    }

    private RunningProcess launcher(String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(JavaPrograms.repo().resolve("bin/sentinel").toString());
        cmd.addAll(List.of(args));
        return RunningProcess.start(cmd, Map.of("SENTINEL_JAR", jar.toString()));
    }
}
