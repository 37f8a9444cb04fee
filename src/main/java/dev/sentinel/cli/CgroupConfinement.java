package dev.sentinel.cli;

import dev.sentinel.core.program.Confinement;
import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.platform.KernelNotifier;
import dev.sentinel.platform.Signal;
import dev.sentinel.platform.Signaller;
import dev.sentinel.platform.cgroup.CgroupException;
import dev.sentinel.platform.cgroup.KernelLimits;
import dev.sentinel.platform.cgroup.ProgramCgroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A program's cgroup as its guardian sees it: the platform's cgroup files, plus the kernel's
 * notifications of them (a change of {@code cgroup.events} or {@code memory.events} on v2; an
 * OOM kill or a crossing of the limit on v1), each of which wakes the loop for a fresh look.
 */
final class CgroupConfinement implements Confinement {

    private final ProgramCgroup cgroup;
    private final KernelNotifier notifier;
    private final Runnable wake;
    private final Signaller signaller;
    private final Consumer<String> warn;
    private final AtomicBoolean spoke = new AtomicBoolean();
    private final List<KernelNotifier.Registration> watches = new ArrayList<>();
    private KernelNotifier.Registration threshold;
    private final String description;

    /**
     * @param notifier the kernel notifier thread, or null (then changes are seen at the next sample)
     * @param wake wakes the supervisor loop (from the notifier's thread)
     * @param warn says once that a notification could not be set up (guarding goes on without it)
     */
    CgroupConfinement(ProgramCgroup cgroup, KernelNotifier notifier, Runnable wake, Signaller signaller,
                      Consumer<String> warn) {
        this.cgroup = cgroup;
        this.notifier = notifier;
        this.wake = wake;
        this.signaller = signaller;
        this.warn = warn;
        List<String> dirs = new ArrayList<>();
        for (Path p : cgroup.procsFiles()) {
            dirs.add(p.getParent().toString());
        }
        this.description = "cgroup " + String.join(" + ", dirs);
        if (notifier != null) {
            watch(cgroup.eventsFile());
            watch(cgroup.memoryEventsFile());
            if (cgroup.oomControlFile() != null && cgroup.eventControlFile() != null) {
                try {
                    watches.add(notifier.onV1Oom(cgroup.oomControlFile(), cgroup.eventControlFile(), this::spoke));
                } catch (IOException e) {
                    warn.accept("no kernel OOM notification for " + cgroup.name() + " (" + e.getMessage()
                            + "): OOM kills are seen at the next sample");
                }
            }
        }
    }

    private void watch(Path file) {
        if (file == null) {
            return;
        }
        try {
            watches.add(notifier.onModify(file, this::spoke));
        } catch (IOException e) {
            warn.accept("cannot watch " + file + " (" + e.getMessage() + "): changes are seen at the next sample");
        }
    }

    private void spoke() {
        spoke.set(true);
        wake.run();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public long applyLimits(MemoryLimit limit, KernelLimit kernel, boolean tolerating) {
        long backstop = kernel.backstopBytes(limit, tolerating);
        // memory.high at Sentinel's own limit: over it, the tree is throttled during the grace
        // instead of growing (not while a tolerated spike is allowed to be over it).
        long high = backstop > 0 && limit.isSet() && !tolerating ? Math.min(limit.bytes(), backstop) : -1;
        KernelLimits set;
        try {
            set = cgroup.setLimits(backstop, high, kernel.allowSwap());
        } catch (CgroupException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        moveThreshold(limit);
        return set.maxBytes() > 0 ? set.maxBytes() : -1;
    }

    /** v1: the kernel says when usage crosses Sentinel's limit, either way. */
    private void moveThreshold(MemoryLimit limit) {
        if (notifier == null || cgroup.usageFile() == null || cgroup.eventControlFile() == null) {
            return;
        }
        if (threshold != null) {
            threshold.close();
            threshold = null;
        }
        if (!limit.isSet()) {
            return;
        }
        try {
            threshold = notifier.onV1Threshold(cgroup.usageFile(), cgroup.eventControlFile(), limit.bytes(),
                    this::spoke);
        } catch (IOException e) {
            warn.accept("no kernel threshold notification for " + cgroup.name() + " (" + e.getMessage() + ")");
        }
    }

    @Override
    public long[] members() {
        return cgroup.pids();
    }

    @Override
    public boolean populated() {
        return cgroup.populated();
    }

    @Override
    public boolean killAll() {
        return cgroup.killAll(pid -> signaller.signal(pid, Signal.KILL));
    }

    @Override
    public long oomKills() {
        return cgroup.oomKills();
    }

    @Override
    public boolean kernelSpoke() {
        return spoke.get() && spoke.getAndSet(false);
    }

    /** Ends the notifications; the cgroup itself is removed with Sentinel's containment. */
    void close() {
        if (threshold != null) {
            threshold.close();
        }
        watches.forEach(KernelNotifier.Registration::close);
        watches.clear();
    }
}
