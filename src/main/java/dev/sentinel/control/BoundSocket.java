package dev.sentinel.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;

/**
 * A listening socket published at its path. Closing it closes the socket and removes the file,
 * but only if the file at the path is still this socket (same inode), so Sentinel never deletes
 * a socket some other process has put there since.
 */
final class BoundSocket implements AutoCloseable {

    private final AFUNIXServerSocketChannel channel;
    private final AFUNIXServerSocket binder;
    private final Path path;
    private final Object fileKey;
    private final long gid;
    private final String fallbackReason;

    /**
     * @param channel the non-blocking channel to accept on
     * @param binder the socket object that did the bind; it shares the listening socket with
     *               {@code channel} and is kept open until the end (closing it would shut both down)
     * @param fallbackReason why the default path was not used, or null if {@code path} is the one asked for
     */
    BoundSocket(AFUNIXServerSocketChannel channel, AFUNIXServerSocket binder, Path path, Object fileKey, long gid,
                String fallbackReason) {
        this.channel = channel;
        this.binder = binder;
        this.path = path;
        this.fileKey = fileKey;
        this.gid = gid;
        this.fallbackReason = fallbackReason;
    }

    AFUNIXServerSocketChannel channel() {
        return channel;
    }

    Path path() {
        return path;
    }

    /** The group that owns the socket file. */
    long gid() {
        return gid;
    }

    /** Why this socket is not at the default path, or null. */
    String fallbackReason() {
        return fallbackReason;
    }

    /**
     * Removes the socket file if it is still ours. Safe from any thread and more than once (a
     * shutdown hook calls it too).
     */
    void unlink() {
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (Objects.equals(a.fileKey(), fileKey)) {
                Files.deleteIfExists(path);
            }
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            // Nothing more to do on the way out; a later Sentinel replaces a stale socket anyway.
        }
    }

    @Override
    public void close() {
        unlink();
        try {
            channel.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            binder.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
