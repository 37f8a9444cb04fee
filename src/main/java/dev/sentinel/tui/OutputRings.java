package dev.sentinel.tui;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The output of every program, one ring each, plus Sentinel's own messages. Each ring keeps the
 * last {@value #LINES} lines within a memory budget: {@value #PER_PROGRAM_MIB} MiB for one
 * program, and {@value #TOTAL_MIB} MiB shared by all, so each of 50 programs keeps about 164 KiB
 * (some 600 lines of 100 characters) and the dashboard's output never takes more than a fixed
 * share of Sentinel's heap, however many programs print and however long their lines are.
 *
 * <p>Rings are made when a program first prints (or is first shown), and those of programs that
 * are gone (removed by a reload) are dropped. The pump threads write, the dashboard thread reads.
 */
final class OutputRings {

    static final int LINES = 2_000;
    static final int PER_PROGRAM_MIB = 2;
    static final int TOTAL_MIB = 8;
    static final int SENTINEL_LINES = 200;
    private static final long MIB = 1024L * 1024L;
    /** The key of the ring of the single-command program's sink, which has no name. */
    private static final String UNNAMED = "";

    private final AtomicLong sequence = new AtomicLong();
    private final ConcurrentHashMap<String, OutputBuffer> rings = new ConcurrentHashMap<>();
    private final OutputBuffer sentinel = new OutputBuffer(SENTINEL_LINES, 64 * 1024, sequence);
    private final OutputBuffer empty = new OutputBuffer(1, 0, sequence);

    /** The ring of {@code program}, made on first use. */
    OutputBuffer of(String program) {
        OutputBuffer ring = rings.get(program);
        if (ring != null) {
            return ring;
        }
        ring = rings.computeIfAbsent(program, p -> new OutputBuffer(LINES, perProgram(rings.size() + 1), sequence));
        rebudget();
        return ring;
    }

    /** The ring of the program whose sink has no name (single-command mode). */
    OutputBuffer unnamed() {
        return of(UNNAMED);
    }

    /** Where Sentinel's own messages go (shown in every program's pane). */
    OutputBuffer sentinel() {
        return sentinel;
    }

    /**
     * What the pane shows for {@code program}: its ring, or if it has none the unnamed one (the
     * single program's output arrives there), with Sentinel's messages between the lines.
     */
    OutputView view(String program) {
        OutputBuffer ring = program == null ? null : rings.get(program);
        if (ring == null) {
            ring = rings.getOrDefault(UNNAMED, empty);
        }
        return new MergedOutput(ring, sentinel);
    }

    /** Drops the rings of programs not in {@code programs} (the unnamed ring stays). */
    void retain(Collection<String> programs) {
        if (rings.size() <= programs.size()) {
            boolean allKnown = true;
            for (String name : rings.keySet()) {
                if (!name.equals(UNNAMED) && !programs.contains(name)) {
                    allKnown = false;
                    break;
                }
            }
            if (allKnown) {
                return;
            }
        }
        Set<String> keep = new HashSet<>(programs);
        keep.add(UNNAMED);
        if (rings.keySet().retainAll(keep)) {
            rebudget();
        }
    }

    int rings() {
        return rings.size();
    }

    private void rebudget() {
        long each = perProgram(rings.size());
        for (OutputBuffer b : rings.values()) {
            b.budget(each);
        }
    }

    static long perProgram(int programs) {
        return Math.min(PER_PROGRAM_MIB * MIB, TOTAL_MIB * MIB / Math.max(1, programs));
    }
}
