package dev.sentinel.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A command run as PID 1 of a new pid namespace ({@code unshare --pid --fork --mount-proc
 * --kill-child}, util-linux), seen from the host: its init's host pid, and every process of the
 * namespace with its state, read from the host's {@code /proc}. The processes of the namespace are
 * its init and the init's descendants: an orphan in it is re-parented to the init, never out of it.
 * Closing kills the init with SIGKILL, and the kernel kills everything left in the namespace.
 */
public final class PidNamespace implements AutoCloseable {

    /** A process of the namespace: host pid, state letter ({@code Z} a zombie), parent's host pid. */
    public record Member(long pid, char state, long ppid) {
    }

    private static final List<String> UNSHARE = List.of("unshare", "--pid", "--fork", "--mount-proc", "--kill-child");

    private final RunningProcess unshare;
    private long init = -1;

    private PidNamespace(RunningProcess unshare) {
        this.unshare = unshare;
    }

    /**
     * Why a pid namespace cannot be made here (not root, no unshare, a kernel that refuses), or
     * null when it can.
     */
    public static String unavailableWhy() {
        List<String> probe = new ArrayList<>(UNSHARE);
        probe.addAll(List.of("sh", "-c", "test $$ = 1"));
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return String.join(" ", probe) + " did not end within 20s";
            }
            String said = new String(p.getInputStream().readAllBytes()).trim();
            return p.exitValue() == 0 ? null
                    : String.join(" ", probe) + " failed (exit " + p.exitValue() + (said.isEmpty() ? "" : ": " + said)
                            + "); it needs root (or user namespaces) and util-linux";
        } catch (IOException e) {
            return "unshare (util-linux) cannot be run: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Runs {@code command} as PID 1 of a new pid namespace. */
    public static PidNamespace start(List<String> command) {
        List<String> full = new ArrayList<>(UNSHARE);
        full.addAll(command);
        return new PidNamespace(RunningProcess.start(full));
    }

    /** unshare itself: its stdout and stderr are the init's, its exit status the init's. */
    public RunningProcess unshare() {
        return unshare;
    }

    /** The host pid of the namespace's PID 1 (unshare's only child), waiting for it to be forked. */
    public long initPid() {
        if (init < 0) {
            Path children = Path.of("/proc", Long.toString(unshare.pid()), "task", Long.toString(unshare.pid()),
                    "children");
            long[] found = {-1};
            Await.until(Duration.ofSeconds(10), "unshare forks the namespace's init", () -> {
                try {
                    String s = Files.readString(children).trim();
                    if (!s.isEmpty()) {
                        found[0] = Long.parseLong(s.split(" ")[0]);
                    }
                } catch (IOException | NumberFormatException e) {
                    return false;
                }
                return found[0] > 0;
            });
            init = found[0];
        }
        return init;
    }

    /** Every process of the namespace now, its init first: the init and all its descendants. */
    public List<Member> members() {
        long root = initPid();
        Map<Long, List<Member>> byParent = new HashMap<>();
        Member rootMember = null;
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : proc) {
                Member m = read(p);
                if (m == null) {
                    continue;
                }
                if (m.pid() == root) {
                    rootMember = m;
                }
                byParent.computeIfAbsent(m.ppid(), k -> new ArrayList<>()).add(m);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        List<Member> out = new ArrayList<>();
        if (rootMember == null) {
            return out;
        }
        Set<Long> seen = new HashSet<>();
        List<Member> todo = new ArrayList<>(List.of(rootMember));
        while (!todo.isEmpty()) {
            Member m = todo.remove(todo.size() - 1);
            if (seen.add(m.pid())) {
                out.add(m);
                todo.addAll(byParent.getOrDefault(m.pid(), List.of()));
            }
        }
        return out;
    }

    /** The zombies of the namespace now. */
    public List<Member> zombies() {
        return members().stream().filter(m -> m.state() == 'Z').toList();
    }

    /** Sends {@code signal} (a name like TERM) to the namespace's init from the host, as a kubelet would. */
    public void signalInit(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(initPid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + initPid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Member read(Path dir) {
        try {
            String s = Files.readString(dir.resolve("stat"));
            int close = s.lastIndexOf(')');
            String[] f = s.substring(close + 2).split(" ");
            return new Member(Long.parseLong(dir.getFileName().toString()), f[0].charAt(0), Long.parseLong(f[1]));
        } catch (IOException | RuntimeException e) {
            return null; // gone meanwhile
        }
    }

    @Override
    public void close() {
        if (init > 0) {
            ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);
        }
        unshare.close();
    }
}
