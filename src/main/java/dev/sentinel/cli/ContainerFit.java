package dev.sentinel.cli;

import dev.sentinel.platform.cgroup.ContainerMemory;
import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.text.ByteSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Fits the programs' limits to the memory Sentinel itself may use: percentages become bytes of the
 * container's limit (of the host's memory without one); a limit of Sentinel's that reaches the
 * container's is refused (the kernel would kill the whole container first, Sentinel with it); a
 * kernel limit that would reach it is capped below it, Sentinel's own memory kept free.
 *
 * @param container   the container's limit (or none) and the host's memory
 * @param ownBytes    Sentinel's own memory, kept free below the container's limit
 */
record ContainerFit(ContainerMemory container, long ownBytes) {

    /** Kept free below the container's limit at least, whatever Sentinel measures of itself at start. */
    static final long MIN_HEADROOM = 32L << 20;

    /**
     * @param programs  the settings as fitted
     * @param notes     one sentence per change made (a capped kernel limit, the limits' sum)
     * @param problems  one sentence per program that cannot run in this container as written
     */
    record Fitted(List<ProgramSettings> programs, List<String> notes, List<String> problems) {
    }

    long headroom() {
        return Math.max(MIN_HEADROOM, ownBytes);
    }

    Fitted fit(List<ProgramSettings> programs) {
        List<ProgramSettings> out = new ArrayList<>(programs.size());
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        long sum = 0;
        for (ProgramSettings p : programs) {
            ProgramSettings fitted = one(p, notes, problems);
            out.add(fitted);
            sum += fitted.limit().bytes();
        }
        long max = container.limitBytes();
        if (max > 0 && programs.size() > 1 && sum > max - headroom()) {
            notes.add("the programs' limits together (" + ByteSize.format(sum) + ") exceed the container's "
                    + ByteSize.format(max) + ": the largest tree is killed when the container nears "
                    + ByteSize.format((long) (max * 0.95)));
        }
        return new Fitted(List.copyOf(out), List.copyOf(notes), List.copyOf(problems));
    }

    /** One program (a reload's new one): its limit resolved and its kernel limit capped; problems and notes added. */
    ProgramSettings one(ProgramSettings p, List<String> notes, List<String> problems) {
        MemoryLimit limit = p.limit();
        if (limit.isRelative() && container.referenceBytes() <= 0) {
            problems.add(p.name() + ": memory_limit " + limit.share() + ": neither a container limit nor the host's "
                    + "memory can be read (/proc/meminfo); give a size");
            return p;
        }
        limit = limit.resolve(container.referenceBytes());
        ProgramSettings.Builder b = p.toBuilder().limit(limit);
        long max = container.limitBytes();
        if (max <= 0) {
            return b.build();
        }
        long room = max - headroom();
        if (limit.isSet() && limit.bytes() > room) {
            problems.add(p.name() + ": memory_limit " + limit.describe() + " reaches the " + container.describe()
                    + " less Sentinel's own " + ByteSize.format(headroom()) + ": the kernel would kill the whole "
                    + "container before Sentinel stops " + p.name() + "; give at most " + ByteSize.format(Math.max(0, room))
                    + ", or a percentage such as 80%");
            return b.build();
        }
        long backstop = p.kernel().backstopBytes(limit, !p.tolerate().isZero());
        if (backstop > room && room > limit.bytes()) {
            KernelLimit capped = new KernelLimit(KernelLimit.Mode.FIXED, room / 4096 * 4096, p.kernel().allowSwap());
            b.kernel(capped);
            notes.add(p.name() + ": kernel limit capped at " + capped + " (was " + ByteSize.format(backstop)
                    + "): the " + container.describe() + " less Sentinel's own " + ByteSize.format(headroom()));
        } else if (backstop > room) {
            b.kernel(KernelLimit.OFF.withAllowSwap(p.kernel().allowSwap()));
            notes.add(p.name() + ": no kernel limit: " + ByteSize.format(backstop) + " would reach the "
                    + container.describe());
        }
        return b.build();
    }

    /** Sentinel's resident memory from /proc/self/status (VmRSS, in kB: no page size needed), 0 if unreadable. */
    static long ownResidentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
