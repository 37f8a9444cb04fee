package dev.sentinel.platform.cgroup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A cgroup's working set, as the kubelet counts it for evictions: its memory use (v2
 * {@code memory.current}, v1 {@code memory.usage_in_bytes}) less its inactive file cache
 * ({@code inactive_file}, v1 {@code total_inactive_file} of {@code memory.stat}), which the kernel
 * reclaims before it kills. Both files are kept open: a cgroup file gives its text anew at offset
 * 0. Not thread-safe: one reader (the supervisor loop) owns it.
 */
final class WorkingSet implements AutoCloseable {

    private final Path usageFile;
    private final Path statFile;
    private final String inactiveKey;
    private final ReadBuffer buffer = new ReadBuffer();
    private FileChannel usage;
    private FileChannel stat;

    private WorkingSet(Path usageFile, Path statFile, String inactiveKey) {
        this.usageFile = usageFile;
        this.statFile = statFile;
        this.inactiveKey = inactiveKey;
    }

    /** Of a v2 cgroup directory. */
    static WorkingSet v2(Path dir) {
        return new WorkingSet(dir.resolve("memory.current"), dir.resolve("memory.stat"), "inactive_file");
    }

    /** Of a v1 memory cgroup directory (its subtree's totals). */
    static WorkingSet v1(Path dir) {
        return new WorkingSet(dir.resolve("memory.usage_in_bytes"), dir.resolve("memory.stat"), "total_inactive_file");
    }

    Path usageFile() {
        return usageFile;
    }

    /** The working set now, -1 if it cannot be read (the files are opened again at the next call). */
    long bytes() {
        try {
            if (usage == null) {
                usage = FileChannel.open(usageFile);
                stat = FileChannel.open(statFile);
            }
            return of(buffer.read(usage).value(), buffer.read(stat).keyed(inactiveKey, 0));
        } catch (IOException | RuntimeException e) {
            close();
            return -1;
        }
    }

    /** Usage less inactive file cache, never below 0; -1 for an unknown usage. */
    static long of(long usageBytes, long inactiveFileBytes) {
        return usageBytes < 0 ? -1 : Math.max(0, usageBytes - Math.max(0, inactiveFileBytes));
    }

    @Override
    public void close() {
        for (FileChannel c : new FileChannel[] {usage, stat}) {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // read-only: nothing lost
                }
            }
        }
        usage = null;
        stat = null;
    }
}
