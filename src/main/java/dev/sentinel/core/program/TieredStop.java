package dev.sentinel.core.program;

import dev.sentinel.platform.Child;
import dev.sentinel.platform.ProcessSample;
import dev.sentinel.platform.Signal;
import dev.sentinel.platform.Signaller;
import dev.sentinel.platform.TreeSample;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Sends a stop's signals to the whole tree and counts them: the process group in one call, each
 * process that left the group on its own, and with a cgroup every member no sample saw yet (a
 * SIGKILL goes to the whole cgroup at once, so no fork can race it). Loop thread only.
 */
final class TieredStop {

    /** While killing, SIGKILL is sent again this often, to catch processes forked meanwhile. */
    static final long KILL_REPEAT_NANOS = 100_000_000L;

    private final Signaller signaller;
    private final Backstop backstop;
    private final Map<StopReason, Map<Signal, Long>> kills = new EnumMap<>(StopReason.class);
    /** {@link #kills} as snapshots carry it; rebuilt only when a signal is counted, not at every tick. */
    private List<KillCount> counts = List.of();

    TieredStop(Signaller signaller, Backstop backstop) {
        this.signaller = signaller;
        this.backstop = backstop;
    }

    /** {@code signal} to every process of the tree of {@code main}, as {@code last} saw it and beyond. */
    void signal(Child main, TreeSample last, Signal signal) {
        if (signal == Signal.KILL) {
            backstop.killAll();
        }
        boolean group = main.groupIsTree();
        if (group) {
            signaller.signalGroup(main.pgid(), signal);
        } else if (last.isEmpty()) {
            // An attached root no sample has seen yet: it at least.
            signaller.signal(main.pid(), signal);
        }
        for (ProcessSample p : last.processes()) {
            if (!group || p.pgid() != main.pgid()) {
                // By its start time too: it may have exited since the sample, and its pid be a bystander's.
                signaller.signal(p.pid(), p.startTicks(), signal);
            }
        }
        if (backstop.present() && signal != Signal.KILL) {
            // Members the last sample did not have (forked since): each gets the signal too.
            for (long pid : backstop.members()) {
                if (!has(last, pid)) {
                    signaller.signal(pid, signal);
                }
            }
        }
    }

    /** Counts one {@code signal} sent to stop the tree for {@code reason}. */
    void count(StopReason reason, Signal signal) {
        kills.computeIfAbsent(reason, r -> new EnumMap<>(Signal.class)).merge(signal, 1L, Long::sum);
        List<KillCount> all = new ArrayList<>();
        kills.forEach((r, bySignal) -> bySignal.forEach((sig, n) -> all.add(new KillCount(r, sig, n))));
        counts = List.copyOf(all);
    }

    List<KillCount> counts() {
        return counts;
    }

    /** Whether the process group of {@code main} still has a process (for a tree without a cgroup). */
    boolean groupAlive(Child main) {
        // A group shared with processes outside the tree says nothing of the tree: the samples do.
        return main.groupIsTree() && signaller.groupAlive(main.pgid());
    }

    /**
     * Sends {@code signal} to the process group of {@code main} (to {@code main} alone when its
     * group is not only its tree); false if none is left.
     */
    boolean forward(Child main, Signal signal) {
        return main.groupIsTree() ? signaller.signalGroup(main.pgid(), signal) : signaller.signal(main.pid(), signal);
    }

    private static boolean has(TreeSample sample, long pid) {
        for (ProcessSample p : sample.processes()) {
            if (p.pid() == pid) {
                return true;
            }
        }
        return false;
    }
}
