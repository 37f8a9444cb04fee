package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.cli.CtlCommand;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.testing.Await;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sentinel ctl} against the real server and against sockets where no Sentinel answers. */
@Timeout(60)
class CtlCommandTest {

    @TempDir
    Path dir;

    @Test
    void aStaleSocketIsNoSentinelAndSaysSo() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(stale));
        }
        Result r = ctl("--socket", stale.toString(), "status");
        assertEquals(2, r.exit);
        assertEquals("sentinel ctl: no Sentinel answers at " + stale + " (connection refused: the socket was left "
                + "behind by a Sentinel that is gone).\n", r.err);
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        Path mute = dir.resolve("mute.sock");
        try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            s.bind(UnixDomainSocketAddress.of(mute)); // listens, never accepts: connecting works, nothing comes back
            long start = System.nanoTime();
            Result r = ctl("--socket", mute.toString(), "--timeout", "300ms", "status");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(2, r.exit);
            assertEquals("sentinel ctl: the Sentinel at " + mute + " did not answer within 300ms.\n", r.err);
            assertTrue(millis >= 250 && millis < 5000, "gave up after " + millis + " ms");
        }
    }

    @Test
    void watchPrintsLinesUntilSentinelEnds() throws Exception {
        try (InProcessSentinel s = InProcessSentinel.at(dir.resolve("w.sock")).guard("sleep", "300")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> CtlCommand.execute(
                    new PrintStream(out, true, StandardCharsets.UTF_8), System.err, "-s", s.socket().toString(),
                    "WATCH"));
            Await.until(Duration.ofSeconds(10), "three watch lines",
                    () -> out.toString(StandardCharsets.UTF_8).lines().count() >= 3);
            s.supervisor.post(loop -> loop.programs().get(0).onKill(StopReason.KILL));
            assertEquals(0, exit.get(10, TimeUnit.SECONDS));
            String text = out.toString(StandardCharsets.UTF_8);
            assertTrue(text.lines().allMatch(l -> l.startsWith("child pid=")), text);
            assertTrue(text.lines().anyMatch(l -> l.contains(" state=RUNNING ")), text);
        }
    }

    @Test
    void helpIsPrintedAndExitsZero() {
        Result r = ctl("--help");
        assertEquals(0, r.exit);
        assertTrue(r.out.contains("Usage: sentinel ctl [--socket PATH] COMMAND [ARGS...]"), r.out);
        assertTrue(r.out.contains("2 when no") && r.out.contains("Sentinel answers"), r.out);
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result ctl(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = CtlCommand.execute(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
