package dev.sentinel.platform;

import java.nio.file.Path;

/** Every /proc path Sentinel reads, under a root that tests can move. */
public record ProcFs(Path root) {

    public static ProcFs system() {
        return new ProcFs(Path.of("/proc"));
    }

    public Path stat(long pid) {
        return root.resolve(Long.toString(pid)).resolve("stat");
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

    /** Seconds since boot, the clock that /proc/PID/stat start times count from. */
    public Path uptime() {
        return root.resolve("uptime");
    }
}
