package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/** The binder with real sockets in a temporary directory: live, stale, foreign and non-socket paths. */
class SocketBinderTest {

    private static final long PID = 424242;

    @TempDir
    Path dir;

    private final SocketBinder binder = new SocketBinder(PID);

    @AfterEach
    void noStagingDirectoryLeftBehind() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> staging = files.filter(p -> p.getFileName().toString().startsWith(".sentinel-")).toList();
            assertTrue(staging.isEmpty(), "staging directories left behind: " + staging);
        }
    }

    @Test
    void bindsAFreePathWithTheRequestedMode() throws Exception {
        Path path = dir.resolve("s.sock");
        try (BoundSocket bound = binder.bind(settings(path, true, 0600))) {
            assertEquals(path, bound.path());
            assertNull(bound.fallbackReason());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            assertEquals(SocketBinder.Occupant.LIVE_SOCKET, SocketBinder.probe(path));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                assertTrue(client.isConnected());
                acceptOne(bound);
            }
        }
        assertFalse(Files.exists(path, LinkOption.NOFOLLOW_LINKS), "the socket file is removed on close");
    }

    @Test
    void modeCanOpenTheSocketToItsGroup() throws Exception {
        Path path = dir.resolve("g.sock");
        try (BoundSocket bound = binder.bind(new ControlSettings(true, path, true, 0660, "nogroup"))) {
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            assertEquals("nogroup", Files.readAttributes(path, java.nio.file.attribute.PosixFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).group().getName());
            assertEquals(65534, bound.gid());
        }
    }

    @Test
    void unknownGroupIsOneClearSentence() {
        ControlException e = assertThrows(ControlException.class,
                () -> binder.bind(new ControlSettings(true, dir.resolve("x.sock"), true, 0660, "no-such-group-xyz")));
        assertEquals("--socket-group no-such-group-xyz: no such group", e.getMessage());
        assertFalse(Files.exists(dir.resolve("x.sock"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void liveSocketAtAChosenPathIsAnErrorAndStaysUntouched() throws Exception {
        Path path = dir.resolve("live.sock");
        try (ServerSocketChannel other = listen(path)) {
            Object before = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey();
            ControlException e = assertThrows(ControlException.class, () -> binder.bind(settings(path, true, 0600)));
            assertTrue(e.getMessage().startsWith("another Sentinel is listening on " + path), e.getMessage());
            assertTrue(e.getMessage().contains("--socket"), e.getMessage());
            assertEquals(before, Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS).fileKey());
            assertEquals(SocketBinder.Occupant.LIVE_SOCKET, SocketBinder.probe(path), "the other one still answers");
            assertTrue(other.isOpen());
        }
    }

    @Test
    void liveSocketAtTheDefaultPathFallsBackToAPerProcessPath() throws Exception {
        Path path = dir.resolve("sentinel.socket");
        try (ServerSocketChannel other = listen(path);
             BoundSocket bound = binder.bind(settings(path, false, 0600))) {
            assertEquals(dir.resolve("sentinel-" + PID + ".socket"), bound.path());
            assertEquals("another Sentinel is listening on " + path, bound.fallbackReason());
            assertEquals(SocketBinder.Occupant.LIVE_SOCKET, SocketBinder.probe(bound.path()));
            assertEquals(SocketBinder.Occupant.LIVE_SOCKET, SocketBinder.probe(path));
            assertTrue(other.isOpen());
        }
        assertFalse(Files.exists(dir.resolve("sentinel-" + PID + ".socket")));
    }

    @Test
    void staleSocketIsReplaced() throws Exception {
        Path path = dir.resolve("stale.sock");
        listen(path).close(); // the JDK leaves the file behind, like a Sentinel that was SIGKILLed
        assertEquals(SocketBinder.Occupant.STALE_SOCKET, SocketBinder.probe(path));
        try (BoundSocket bound = binder.bind(settings(path, true, 0600))) {
            assertEquals(path, bound.path());
            assertEquals(SocketBinder.Occupant.LIVE_SOCKET, SocketBinder.probe(path));
        }
    }

    @Test
    void aFileThatIsNotASocketIsNeverDeleted() throws Exception {
        Path path = dir.resolve("notes.txt");
        Files.writeString(path, "precious");
        ControlException e = assertThrows(ControlException.class, () -> binder.bind(settings(path, true, 0600)));
        assertTrue(e.getMessage().contains(path + " exists and is not a socket"), e.getMessage());
        assertEquals("precious", Files.readString(path));

        // At the default path Sentinel still starts, elsewhere, and leaves the file alone.
        try (BoundSocket bound = binder.bind(settings(path, false, 0600))) {
            assertEquals(dir.resolve("sentinel-" + PID + ".socket"), bound.path());
        }
        assertEquals("precious", Files.readString(path));
    }

    @Test
    void directoriesAndSymlinksAreNotSocketsEither() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("d.sock"));
        assertEquals(SocketBinder.Occupant.NOT_A_SOCKET, SocketBinder.probe(sub));
        Path target = dir.resolve("target.sock");
        try (ServerSocketChannel other = listen(target)) {
            Path link = Files.createSymbolicLink(dir.resolve("link.sock"), target);
            assertEquals(SocketBinder.Occupant.NOT_A_SOCKET, SocketBinder.probe(link));
            assertThrows(ControlException.class, () -> binder.bind(settings(link, true, 0600)));
            assertTrue(Files.isSymbolicLink(link));
            assertTrue(other.isOpen());
        }
    }

    @Test
    void closeLeavesASocketThatReplacedOurs() throws Exception {
        Path path = dir.resolve("r.sock");
        BoundSocket bound = binder.bind(settings(path, true, 0600));
        Files.delete(path);
        try (ServerSocketChannel other = listen(path)) {
            bound.close();
            assertEquals(SocketBinder.Occupant.LIVE_SOCKET, SocketBinder.probe(path), "not ours: not deleted");
            assertTrue(other.isOpen());
        }
    }

    @Test
    void missingDirectoryAndOverlongPathAreClearErrors() {
        Path missing = dir.resolve("nope/s.sock");
        ControlException e = assertThrows(ControlException.class, () -> binder.bind(settings(missing, true, 0600)));
        assertTrue(e.getMessage().contains("the directory " + missing.getParent() + " does not exist"), e.getMessage());

        Path longPath = dir.resolve("x".repeat(120) + ".sock");
        e = assertThrows(ControlException.class, () -> binder.bind(settings(longPath, true, 0600)));
        assertTrue(e.getMessage().contains("at most 107"), e.getMessage());
    }

    /**
     * Six Sentinels binding the default path at the same moment: each looks (nothing there), then
     * all wait at a barrier, then each tries to link. The first to link holds the path; every other
     * one must fall back to its own per-process path rather than refuse to run its program.
     */
    @Test
    void sentinelsStartedTogetherOnTheDefaultPathAllGetASocket() throws Exception {
        Path path = dir.resolve("sentinel.socket");
        int n = 6;
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(n);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        List<java.util.concurrent.Future<BoundSocket>> binds = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            long pid = 1000 + i;
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            SocketBinder b = new SocketBinder(pid, () -> {
                if (!first.getAndSet(false)) {
                    return; // the fallback path is this binder's own: no race to widen there
                }
                try {
                    together.await(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            binds.add(pool.submit(() -> b.bind(settings(path, false, 0600))));
        }
        List<BoundSocket> bound = new java.util.ArrayList<>();
        try {
            for (java.util.concurrent.Future<BoundSocket> f : binds) {
                bound.add(f.get(20, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertEquals(n, bound.stream().map(BoundSocket::path).distinct().count(), "each its own socket");
            assertEquals(1, bound.stream().filter(b -> b.path().equals(path)).count(), "one holds the default");
            for (BoundSocket b : bound) {
                if (!b.path().equals(path)) {
                    assertTrue(b.path().getFileName().toString().matches("sentinel-10\\d\\d\\.socket"), b.path().toString());
                    assertTrue(b.fallbackReason().startsWith("another Sentinel is listening on " + path),
                            b.fallbackReason());
                }
                assertEquals(SocketBinder.Occupant.LIVE_SOCKET, SocketBinder.probe(b.path()));
            }
        } finally {
            pool.shutdownNow();
            bound.forEach(BoundSocket::close);
        }
    }

    @Test
    void anExplicitPathTakenAtTheSameMomentIsStillRefused() throws Exception {
        Path path = dir.resolve("mine.sock");
        SocketBinder racing = new SocketBinder(PID, () -> {
            try {
                ServerSocketChannel other = listen(path);
                other.close();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        ControlException e = assertThrows(ControlException.class, () -> racing.bind(settings(path, true, 0600)));
        assertTrue(e.getMessage().contains("something else created it at the same moment"), e.getMessage());
        Files.deleteIfExists(path);
    }

    private static ControlSettings settings(Path path, boolean explicit, int mode) {
        return new ControlSettings(true, path, explicit, mode, null);
    }

    private static ServerSocketChannel listen(Path path) throws IOException {
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(path));
        return s;
    }

    /** Accepts the one pending connection on the bound (non-blocking) channel and checks who it is. */
    private static void acceptOne(BoundSocket bound) {
        AFUNIXSocketChannel[] accepted = new AFUNIXSocketChannel[1];
        Await.until(Duration.ofSeconds(5), "a connection to accept on " + bound.path(), () -> {
            try {
                accepted[0] = bound.channel().accept();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return accepted[0] != null;
        });
        try (AFUNIXSocketChannel c = accepted[0]) {
            assertEquals(ProcessHandle.current().pid(), c.getPeerCredentials().getPid());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
