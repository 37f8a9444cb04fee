package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Keeps the orphans Sentinel adopts as a subreaper: each is handed to the program whose tree it
 * came from, so it stays counted and signalled, and each is reaped when it ends, so none stays a
 * zombie (on a host or in a container whose PID 1 does not reap).
 *
 * <p>Where a program has a cgroup, its orphans are counted by the cgroup already (the kernel
 * moved nothing: they never left it). Otherwise an orphan is traced by what it kept of its
 * program: the process group or the session that the program leads; a daemon that made a
 * session of its own traces to the one program that runs, if only one does. One that traces
 * nowhere is said once, and reaped when it ends.
 *
 * <p>Runs after every tick of the loop: one read of one /proc file when nothing was adopted.
 */
public final class OrphanKeeper implements LoopExtension {

    private final Adoptions adoptions;
    private LoopContext loop;
    /** Adopted pids already handed to a program or reported. */
    private final Set<Long> handled = new HashSet<>();

    public OrphanKeeper(Adoptions adoptions) {
        this.adoptions = adoptions;
    }

    @Override
    public void attach(LoopContext context) {
        this.loop = context;
    }

    @Override
    public void afterTick(Snapshot snapshot) {
        long[] adopted = adoptions.adopted();
        if (adopted.length == 0) {
            handled.clear();
            return;
        }
        adoptions.reapEnded(adopted);
        Set<Long> now = new HashSet<>();
        for (long pid : adopted) {
            now.add(pid);
            if (handled.add(pid)) {
                place(pid);
            }
        }
        handled.retainAll(now);
    }

    private void place(long pid) {
        List<Program> programs = loop.programs();
        List<Program> running = new ArrayList<>();
        for (Program g : programs) {
            if (g.state().hasTree()) {
                running.add(g);
            }
        }
        if (running.isEmpty()) {
            return;
        }
        long[] ids = adoptions.groupAndSession(pid);
        if (ids == null) {
            return;
        }
        for (Program g : running) {
            // A program leads its own process group and session: its pid is both ids.
            if (g.pid() == ids[0] || g.pid() == ids[1]) {
                g.adopt(pid);
                return;
            }
        }
        for (Program g : running) {
            if (g.hasCgroup()) {
                // Its cgroup holds the orphan if it is that program's; the sampler finds it there.
                return;
            }
        }
        if (running.size() == 1) {
            running.get(0).adopt(pid);
            return;
        }
        loop.events().emit(new Event(loop.clock().epochMillis(), loop.selfName(), EventKind.WARNING,
                "adopted orphan pid " + pid + " (its own process group and session) cannot be traced to one "
                        + "program without cgroups: it is reaped when it ends but counted in no tree"));
    }

    @Override
    public void close() {
        handled.clear();
    }
}
