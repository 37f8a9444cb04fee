package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sentinel as an unprivileged user on a /proc mounted with {@code hidepid=invisible}, as hardened
 * hosts run it: it sees its own processes only. The test gives it a mount namespace of its own
 * ({@code unshare -m}) with a new procfs mounted there with hidepid (the host's /proc is untouched,
 * and the mount goes with the namespace), and runs it as {@code nobody} through {@code setpriv}. It
 * guards its own tree as usual, says once that a process of the tree is hidden from it (one that
 * is not dumpable, which hidepid hides even from its own user), still catches a leak, and the
 * hidden process ends with its tree.
 */
class HidepidTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void anUnprivilegedSentinelOnAHidepidProcGuardsItsTreeAndSaysWhatItCannotSee() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("id", "-u").start().inputReader().readLine().equals("0"),
                "needs root to make a mount namespace with its own procfs and to become nobody");
        for (String tool : List.of("unshare", "setpriv")) {
            Assumptions.assumeTrue(onPath(tool), tool + " is not installed");
        }
        Path world = Files.createDirectories(dir.resolve("world"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(world, PosixFilePermissions.fromString("rwxrwxrwx"));
        String classPath = readableClassPath(Files.createDirectories(dir.resolve("cp")));
        Path tmp = Files.createDirectories(world.resolve("tmp"));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path socket = world.resolve("s.sock");
        Path hiddenPid = world.resolve("hidden.pid");
        // A process of the tree that is not dumpable from its exec on: a copy of sleep that nobody
        // may run but not read (the kernel makes such a process not dumpable, as after a setuid
        // exec), and hidepid hides it even from its own user. It starts after the first samples,
        // through vfork and exec: no sample sees it before it is hidden. Beside it, the main
        // process leaks 20 MiB/s once told to.
        Path xsleep = world.resolve("xsleep");
        Files.copy(Path.of("/bin/sleep"), xsleep);
        Files.setPosixFilePermissions(xsleep, PosixFilePermissions.fromString("rwx--x--x"));
        Path go = world.resolve("go");
        String leaker = JavaPrograms.java() + " -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp " + classPath + " Leaker";
        String program = "sleep 1; " + xsleep + " 600 & echo $! > " + hiddenPid + "; while [ ! -e " + go
                + " ]; do sleep 0.1; done; exec " + leaker + " --leak 20";
        List<String> sentinel = new ArrayList<>();
        sentinel.add(JavaPrograms.java());
        sentinel.addAll(JavaPrograms.SMALL_JVM);
        sentinel.addAll(List.of("-Djava.io.tmpdir=" + tmp, "-Duser.home=" + tmp, "-cp", classPath,
                "dev.sentinel.cli.Main", "--no-tui", "--no-metrics", "--socket", socket.toString(), "-m", "150M",
                "-i", "100ms", "--", "sh", "-c", program));
        List<String> cmd = new ArrayList<>(List.of("unshare", "-m", "--propagation", "private", "sh", "-c",
                "mount -t proc -o hidepid=invisible proc /proc || exit 99; "
                        + "exec setpriv --reuid=nobody --regid=nogroup --clear-groups \"$@\"", "sh"));
        cmd.addAll(sentinel);
        try (RunningProcess s = RunningProcess.start(cmd)) {
            s.awaitStderr("started pid", WAIT);
            // The hidden process is named once; the program runs on.
            s.awaitStderr("1 process of the tree is hidden from Sentinel in /proc", WAIT);
            Await.until(WAIT, "the socket", () -> Files.exists(socket));
            String status = RestartingTest.ask(socket, "status");
            assertTrue(status.contains(" state=RUNNING "), status);
            long pid = Long.parseLong(Files.readString(hiddenPid).trim());
            Files.createFile(go);
            s.awaitStderr("limit crossed: tree RSS", WAIT);
            int exit = s.awaitExit(WAIT);
            assertNotEquals(0, exit, "a memory stop is never 0: " + s.stderr());
            // The hidden process was in the tree's group: it went with the tree.
            Await.until(Duration.ofSeconds(15), "the hidden process " + pid + " ended with its tree",
                    () -> ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true));
            System.out.println("hidepid: Sentinel as nobody said:\n" + String.join("\n", s.stderr()));
            assertTrue(s.stderr().stream().filter(l -> l.contains("hidden from Sentinel")).count() == 1,
                    "said once: " + s.stderr());
        } finally {
            if (Files.exists(hiddenPid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(hiddenPid).trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private static boolean onPath(String tool) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", "command -v " + tool).start();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /**
     * This test run's class path copied where nobody can read it (Maven's repository under /root is
     * not readable by others): jars and class directories alike.
     */
    private static String readableClassPath(Path into) throws IOException {
        List<String> out = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path from = Path.of(entry);
            if (!Files.exists(from) || entry.contains("surefire") || entry.contains("junit") || entry.contains("jqwik")) {
                continue;
            }
            Path to = into.resolve(i++ + "-" + from.getFileName());
            if (Files.isDirectory(from)) {
                try (Stream<Path> all = Files.walk(from)) {
                    for (Path p : (Iterable<Path>) all::iterator) {
                        Path target = to.resolve(from.relativize(p).toString());
                        if (Files.isDirectory(p)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            } else {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
            out.add(to.toString());
        }
        try (Stream<Path> all = Files.walk(into)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
                        : "rw-r--r--"));
            }
        }
        return String.join(File.pathSeparator, out);
    }
}
