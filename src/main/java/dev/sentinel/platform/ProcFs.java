package dev.sentinel.platform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Every /proc path Sentinel reads, under a root that tests can move. */
public record ProcFs(Path root) {

    public static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    /**
     * This process's effective uid, from {@code self/status}. Read here rather than through libc so
     * that binding the control socket need not wait for JNA to load (tens of milliseconds).
     */
    public long effectiveUid() {
        Path status = root.resolve("self").resolve("status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Uid:")) {
                    // Uid: real effective saved filesystem
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + status, e);
        }
        throw new IllegalStateException(status + " has no Uid line");
    }

    public Path stat(long pid) {
        return root.resolve(Long.toString(pid)).resolve("stat");
    }

    /** The kernel's sum of the process's mappings ({@code Pss:} among them), since Linux 4.14. */
    public Path smapsRollup(long pid) {
        return root.resolve(Long.toString(pid)).resolve("smaps_rollup");
    }

    public Path cmdline(long pid) {
        return root.resolve(Long.toString(pid)).resolve("cmdline");
    }

    public Path tasks(long pid) {
        return root.resolve(Long.toString(pid)).resolve("task");
    }

    public Path children(long pid, long tid) {
        return tasks(pid).resolve(Long.toString(tid)).resolve("children");
    }

    /**
     * Whether {@code pid} is {@code ancestor} or descends from it, by the parent links of
     * /proc/PID/stat (at most 64 up). False when a process on the way is gone: a sender must be
     * alive to be believed.
     */
    public boolean descendsFrom(long pid, long ancestor) {
        long p = pid;
        for (int i = 0; i < 64 && p > 1; i++) {
            if (p == ancestor) {
                return true;
            }
            ProcStat st = statOf(p);
            if (st == null) {
                return false;
            }
            p = st.ppid();
        }
        return p == ancestor;
    }

    /** /proc/PID/stat read and parsed, or null for a process that is gone (or vanished mid-read). */
    public ProcStat statOf(long pid) {
        byte[] buf = new byte[1024];
        try (java.io.InputStream in = Files.newInputStream(stat(pid))) {
            int n = in.readNBytes(buf, 0, buf.length);
            return ProcStat.parse(buf, n);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Seconds since boot, the clock that /proc/PID/stat start times count from. */
    public Path uptime() {
        return root.resolve("uptime");
    }
}
