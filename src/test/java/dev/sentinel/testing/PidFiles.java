package dev.sentinel.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The leaker's {@code --pid-file}s of one test: every process of a guarded tree writes its pid
 * there, and after the test none of them may be alive. Whatever is still alive is killed, then the
 * test fails, so one test's leftovers never spill into the next.
 */
public final class PidFiles {

    private final Path dir;
    private final List<Path> files = new ArrayList<>();

    public PidFiles(Path dir) {
        this.dir = dir;
    }

    /** A new pid file for one tree. */
    public Path next() {
        Path f = dir.resolve("pids-" + files.size());
        files.add(f);
        return f;
    }

    /**
     * Fails if a process of any tree is alive {@code grace} after the test (a SIGKILLed process can
     * take a moment to be gone); kills those first.
     */
    public void assertNoneLeft(Duration grace) {
        List<Long> pids = new ArrayList<>();
        files.forEach(f -> pids.addAll(Processes.pidsIn(f)));
        long deadline = System.nanoTime() + grace.toNanos();
        List<Long> alive = pids.stream().filter(Processes::alive).toList();
        while (!alive.isEmpty() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            alive = alive.stream().filter(Processes::alive).toList();
        }
        Processes.killAll(pids);
        if (!alive.isEmpty()) {
            throw new AssertionError("processes of the tree left behind: " + alive);
        }
    }
}
