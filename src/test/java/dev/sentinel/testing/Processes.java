package dev.sentinel.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Facts about processes, read from /proc, for assertions. */
public final class Processes {

    private Processes() {
    }

    /** Whether {@code pid} is a live process (a zombie counts as gone). */
    public static boolean alive(long pid) {
        Optional<String> stat = stat(pid);
        if (stat.isEmpty()) {
            return false;
        }
        String s = stat.get();
        char state = s.charAt(s.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }

    /** The process group of {@code pid}, or -1 if it is gone. */
    public static long pgid(long pid) {
        return stat(pid).map(s -> Long.parseLong(s.substring(s.lastIndexOf(')') + 2).split(" ")[2])).orElse(-1L);
    }

    /** The pids listed one per line in {@code pidFile} (the leaker's --pid-file). */
    public static List<Long> pidsIn(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return List.of();
            }
            return Files.readAllLines(pidFile).stream().map(String::trim).filter(l -> !l.isEmpty())
                    .map(Long::parseLong).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kills every pid in the list that is still alive (test clean-up). */
    public static void killAll(List<Long> pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static Optional<String> stat(long pid) {
        try {
            return Optional.of(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
