package dev.sentinel.control;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.EnumSet;
import java.util.Set;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * Creates the control socket at its path, safely:
 * <ul>
 * <li>A live socket there (another Sentinel answers) is never taken over: for a path the user
 * chose that is an error; for the default path Sentinel falls back to
 * {@code sentinel-<pid>.socket} beside it.</li>
 * <li>A stale socket (connecting is refused: its owner died) is replaced.</li>
 * <li>Anything that is not a socket is never deleted.</li>
 * <li>No other user can connect in the window between bind and chmod: the socket is bound
 * inside a fresh 0700 directory, given its mode and group there, and only then linked into
 * place. (junixsocket makes every socket it binds 0666.)</li>
 * </ul>
 */
final class SocketBinder {

    /** sun_path holds 108 bytes including the terminating NUL. */
    static final int MAX_PATH_BYTES = 107;
    private static final int BACKLOG = 256;

    private final long pid;
    /** Runs between looking at the path and publishing the socket there; tests widen the race with it. */
    private final Runnable beforePublish;

    /** @param pid this process, for the fallback path */
    SocketBinder(long pid) {
        this(pid, () -> { });
    }

    SocketBinder(long pid, Runnable beforePublish) {
        this.pid = pid;
        this.beforePublish = beforePublish;
    }

    /** Another process published a socket at the path between our look and our link. */
    static final class PathTakenMeanwhile extends ControlException {
        PathTakenMeanwhile(String message) {
            super(message);
        }
    }

    /** What is at a socket path now. */
    enum Occupant { NOTHING, STALE_SOCKET, LIVE_SOCKET, FOREIGN_SOCKET, NOT_A_SOCKET }

    BoundSocket bind(ControlSettings settings) throws ControlException {
        Path path = settings.path().toAbsolutePath().normalize();
        checkLength(path);
        Occupant occupant = probe(path);
        if (occupant == Occupant.NOTHING || occupant == Occupant.STALE_SOCKET) {
            try {
                return create(path, occupant, settings, null);
            } catch (PathTakenMeanwhile e) {
                if (settings.explicit()) {
                    throw e;
                }
                // Sentinels started together (a boot, a script starting workers): whoever linked
                // first has the default path; a taken default must never cost a program its guard.
                occupant = probe(path);
                if (occupant == Occupant.NOTHING || occupant == Occupant.STALE_SOCKET) {
                    occupant = Occupant.LIVE_SOCKET;
                }
            }
        }
        if (settings.explicit()) {
            throw new ControlException(taken(path, occupant) + "; choose another path with --socket, or run without "
                    + "one with --no-socket");
        }
        Path fallback = fallbackPath(path);
        checkLength(fallback);
        Occupant there = probe(fallback);
        if (there != Occupant.NOTHING && there != Occupant.STALE_SOCKET) {
            throw new ControlException(taken(path, occupant) + ", and " + taken(fallback, there)
                    + "; choose a path with --socket, or run without one with --no-socket");
        }
        return create(fallback, there, settings, taken(path, occupant));
    }

    /** {@code sentinel-<pid>.socket} in the directory of {@code path}. */
    Path fallbackPath(Path path) {
        return path.resolveSibling("sentinel-" + pid + ".socket");
    }

    /** Looks at {@code path} without changing anything; a live socket gets one connection that is closed at once. */
    static Occupant probe(Path path) throws ControlException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Occupant.NOTHING;
        } catch (IOException e) {
            throw new ControlException("cannot look at the control socket path " + path + ": " + reason(e));
        }
        if (!isSocket(path, attributes)) {
            return Occupant.NOT_A_SOCKET;
        }
        // A non-blocking connect never waits, even on a server that stopped accepting.
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.configureBlocking(false);
            probe.connect(UnixDomainSocketAddress.of(path));
            return Occupant.LIVE_SOCKET;
        } catch (ConnectException e) {
            return Occupant.STALE_SOCKET;
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("No such file")) {
                return Occupant.NOTHING;
            }
            // Permission denied, or a backlog that is full: someone else's, or busy; either way not ours.
            return Occupant.FOREIGN_SOCKET;
        }
    }

    private static boolean isSocket(Path path, BasicFileAttributes attributes) {
        if (!attributes.isOther()) {
            return false;
        }
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return (mode & 0170000) == 0140000;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String taken(Path path, Occupant occupant) {
        return switch (occupant) {
            case LIVE_SOCKET -> "another Sentinel is listening on " + path;
            case FOREIGN_SOCKET -> path + " is a socket this user cannot connect to (another user's, or busy)";
            case NOT_A_SOCKET -> path + " exists and is not a socket (Sentinel never deletes it)";
            default -> path + " is free";
        };
    }

    private static void checkLength(Path path) throws ControlException {
        int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
        if (length > MAX_PATH_BYTES) {
            throw new ControlException("the control socket path " + path + " is " + length + " bytes long, and Unix "
                    + "sockets allow at most " + MAX_PATH_BYTES + "; choose a shorter path with --socket");
        }
    }

    private BoundSocket create(Path path, Occupant occupant, ControlSettings settings, String fallbackReason)
            throws ControlException {
        Path dir = path.getParent();
        if (!Files.isDirectory(dir)) {
            throw new ControlException("cannot create the control socket " + path + ": the directory " + dir
                    + " does not exist");
        }
        Path staging;
        try {
            staging = Files.createTempDirectory(dir, ".sentinel-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new ControlException("cannot create the control socket " + path + ": " + reason(e));
        }
        Path staged = staging.resolve("s");
        AFUNIXServerSocket binder = null;
        AFUNIXServerSocketChannel channel = null;
        boolean published = false;
        try {
            checkLength(staged);
            binder = AFUNIXServerSocket.newInstance();
            // Without this, junixsocket would move a live socket out of the way; the staging dir is empty anyway.
            binder.setReuseAddress(false);
            binder.bind(AFUNIXSocketAddress.of(staged), BACKLOG);
            binder.setDeleteOnClose(false);
            Files.setPosixFilePermissions(staged, permissions(settings.mode()));
            if (settings.group() != null && !settings.group().isBlank()) {
                setGroup(staged, settings.group().strip());
            }
            // junixsocket's accept checks that the bound path still has the socket's inode; the path
            // we publish is another one, so accept through a duplicate that skips that check.
            channel = FileDescriptorCast.duplicating(binder.getChannel().getFileDescriptor())
                    .as(AFUNIXServerSocketChannel.class);
            channel.setDeleteOnClose(false);
            channel.configureBlocking(false);
            beforePublish.run();
            if (occupant == Occupant.STALE_SOCKET) {
                removeStale(path);
            }
            publish(staged, path);
            published = true;
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long gid = ((Number) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
            return new BoundSocket(channel, binder, path, a.fileKey(), gid, fallbackReason);
        } catch (IOException e) {
            if (published) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException ignored) {
                    // best effort
                }
            }
            closeQuietly(channel);
            closeQuietly(binder);
            throw new ControlException("cannot create the control socket " + path + ": " + reason(e));
        } catch (ControlException e) {
            closeQuietly(channel);
            closeQuietly(binder);
            throw e;
        } catch (RuntimeException | LinkageError e) {
            // junixsocket's native library could not be loaded (a noexec temp directory, an odd platform).
            closeQuietly(channel);
            closeQuietly(binder);
            throw new ControlException("cannot create the control socket " + path + ": junixsocket does not work "
                    + "here (" + e + "); run with --no-socket");
        } finally {
            try {
                Files.deleteIfExists(staged);
                Files.deleteIfExists(staging);
            } catch (IOException ignored) {
                // a leftover empty 0700 directory harms nobody
            }
        }
    }

    /**
     * Puts the staged socket at {@code path} without ever replacing anything: a hard link fails
     * if something appeared at the path meanwhile.
     */
    private static void publish(Path staged, Path path) throws IOException, ControlException {
        try {
            Files.createLink(path, staged);
        } catch (FileAlreadyExistsException e) {
            throw new PathTakenMeanwhile("cannot create the control socket " + path + ": something else created it "
                    + "at the same moment; try again, or choose another path with --socket");
        } catch (UnsupportedOperationException | AccessDeniedException e) {
            // File systems without hard links: a rename, refused by Files.move if the path exists.
            try {
                Files.move(staged, path);
            } catch (FileAlreadyExistsException again) {
                throw new PathTakenMeanwhile("cannot create the control socket " + path + ": something else created "
                        + "it at the same moment; try again, or choose another path with --socket");
            }
        }
    }

    private static void removeStale(Path path) throws ControlException {
        try {
            // Look once more right before deleting: never delete what is not a dead socket.
            if (probe(path) == Occupant.STALE_SOCKET) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new ControlException(path + " is a stale socket (nobody answers there) that cannot be removed: "
                    + reason(e) + "; remove it, or choose another path with --socket");
        }
    }

    private static void setGroup(Path staged, String group) throws ControlException {
        try {
            GroupPrincipal principal = staged.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(staged, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setGroup(principal);
        } catch (UserPrincipalNotFoundException e) {
            throw new ControlException("--socket-group " + group + ": no such group");
        } catch (IOException e) {
            throw new ControlException("cannot give the control socket to group " + group + ": " + reason(e)
                    + " (Sentinel's user must be a member of it)");
        }
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) {
            if ((mode & (1 << i)) != 0) {
                set.add(bits[i]);
            }
        }
        return set;
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing
        }
    }
}
