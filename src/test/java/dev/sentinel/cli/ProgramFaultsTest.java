package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Programs that misbehave in the ways an operator has seen before, each under a real Sentinel: one
 * that floods its output at full speed while it leaks, one that closes its output and leaks on, one
 * frozen with SIGSTOP. The limit and the stop must act as they do for a quiet program.
 */
class ProgramFaultsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Sentinel with its stdout (the programs' prefixed output) thrown away, its stderr (events) kept. */
    private static RunningProcess sentinel(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec \"$@\" >/dev/null", "sh"));
        cmd.addAll(JavaPrograms.sentinel(args.toArray(String[]::new)));
        return RunningProcess.start(cmd);
    }

    private static String leaker(String... args) {
        return String.join(" ", JavaPrograms.leaker(args));
    }

    private static void crossedNearTheLimit(RunningProcess s) {
        Matcher m = s.awaitStderr("limit crossed: tree RSS ([0-9.]+) MiB > limit 150 MiB", WAIT);
        double mib = Double.parseDouble(m.group(1));
        assertTrue(mib < 165, "acted within 15 MiB of the limit at 50 MiB/s: " + m.group());
        s.awaitStderr("sent SIGTERM to the tree \\(memory limit exceeded\\)", WAIT);
    }

    @Test
    void aProgramFloodingItsOutputWhileItLeaksIsStoppedOnTime() {
        try (RunningProcess s = sentinel(List.of("--no-tui", "--no-socket", "--no-metrics", "-m", "150M", "-g", "2s",
                "--", "sh", "-c", "yes flooding-the-console-as-fast-as-it-can & exec " + leaker("--leak", "50")))) {
            crossedNearTheLimit(s);
            assertEquals(143, s.awaitExit(WAIT), String.join("\n", s.stderr()));
        }
    }

    @Test
    void aProgramThatClosesItsOutputAndLeaksOnIsStoppedOnTime() {
        try (RunningProcess s = sentinel(List.of("--no-tui", "--no-socket", "--no-metrics", "-m", "150M", "-g", "2s",
                "--", "sh", "-c", "exec >&- 2>&-; exec " + leaker("--leak", "50")))) {
            s.awaitStderr("started pid", WAIT);
            crossedNearTheLimit(s);
            assertEquals(143, s.awaitExit(WAIT), String.join("\n", s.stderr()));
        }
    }

    /**
     * Sentinel's own stdout, where the programs' prefixed lines go, is a pipe nobody reads (a
     * paused terminal, {@code sentinel ... | slow-consumer}): once its 64 KiB are full every write
     * to it would block. The limit and the exit must not wait on it.
     */
    @Test
    void aConsoleNobodyReadsDoesNotHoldUpTheLimitOrTheExit() {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c",
                "mkfifo \"$0/console\" && exec 3<>\"$0/console\" && exec \"$@\" >\"$0/console\"", dir.toString()));
        cmd.addAll(JavaPrograms.sentinel("--no-tui", "--no-socket", "--no-metrics", "-m", "150M", "-g", "2s", "--",
                "sh", "-c", "yes flooding-a-console-nobody-reads & exec " + leaker("--leak", "50")));
        try (RunningProcess s = RunningProcess.start(cmd)) {
            crossedNearTheLimit(s);
            assertEquals(143, s.awaitExit(WAIT), String.join("\n", s.stderr()));
        }
    }

    /**
     * A frozen tree acts on SIGTERM only once it runs again: Sentinel follows it with SIGCONT, so
     * the stop does not wait out a 30 s grace to end in SIGKILL.
     */
    @Test
    void aTreeFrozenWithSigstopStopsOnItsStopSignalNotAtTheEndOfTheGrace() throws Exception {
        Path socket = dir.resolve("s.sock");
        try (RunningProcess s = sentinel(List.of("--no-tui", "--socket", socket.toString(), "--no-metrics",
                "-m", "1G", "-g", "30s", "-i", "100ms", "--", "sleep", "600"))) {
            Matcher started = s.awaitStderr("started pid (\\d+)", WAIT);
            long pid = Long.parseLong(started.group(1));
            new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor();
            Await.until(WAIT, "sleep is stopped (state T)", () -> state(pid) == 'T');
            twoSamplesLater(socket);
            long before = System.nanoTime();
            s.signal("TERM");
            int status = s.awaitExit(WAIT);
            long seconds = (System.nanoTime() - before) / 1_000_000_000L;
            assertEquals(143, status, "ended by its SIGTERM, not SIGKILL after the grace: " + s.stderr());
            assertTrue(seconds < 10, "within seconds, not the 30 s grace: " + seconds + " s");
        }
    }

    private static char state(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    /** {@code watch} gives a line after every sample: two lines mean a sample saw the tree as it is now. */
    private static void twoSamplesLater(Path socket) throws IOException {
        Await.until(WAIT, "the socket", () -> Files.exists(socket));
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap("watch\n".getBytes(StandardCharsets.US_ASCII)));
            BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                if (r.readLine() == null) {
                    throw new IOException("watch ended");
                }
            }
        }
    }
}
