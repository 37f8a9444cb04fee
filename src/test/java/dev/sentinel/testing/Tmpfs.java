package dev.sentinel.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A small tmpfs mounted for one test, to make a disk full or read-only for real. Closing unmounts
 * it (lazily if a process still holds a file on it) and removes the mount point.
 */
public final class Tmpfs implements AutoCloseable {

    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (as mount(8) takes it: {@code 2m}) on a new directory {@code dir}; null if not allowed. */
    public static Tmpfs mount(Path dir, String size) throws IOException {
        Files.createDirectories(dir);
        if (run("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0755", "tmpfs", dir.toString()) != 0) {
            Files.deleteIfExists(dir);
            return null;
        }
        return new Tmpfs(dir);
    }

    public Path dir() {
        return dir;
    }

    /**
     * Writes {@code name} until the filesystem is full; returns its size. What is left is less than
     * a page, so the next write that needs a page fails with ENOSPC.
     */
    public long fill(String name) throws IOException {
        Path f = dir.resolve(name);
        byte[] chunk = new byte[4096];
        long written = 0;
        try (OutputStream out = Files.newOutputStream(f)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
                throw e;
            }
        }
        return written;
    }

    /**
     * Remounts read-only. The kernel refuses (EBUSY) while any file on it is open for writing, so
     * this tries until {@code timeout}; false if it never succeeded.
     */
    public boolean remountReadOnly(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (run("mount", "-o", "remount,ro", dir.toString()) == 0) {
                return true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    public void remountReadWrite() throws IOException {
        if (run("mount", "-o", "remount,rw", dir.toString()) != 0) {
            throw new IOException("cannot remount " + dir + " read-write");
        }
    }

    @Override
    public void close() throws IOException {
        if (run("umount", dir.toString()) != 0) {
            run("umount", "-l", dir.toString());
        }
        Files.deleteIfExists(dir);
    }

    private static int run(String... command) throws IOException {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            int rc = p.waitFor();
            if (rc != 0 && System.getenv("SENTINEL_TEST_VERBOSE") != null) {
                System.err.println(String.join(" ", command) + ": " + new String(out, StandardCharsets.UTF_8));
            }
            return rc;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
