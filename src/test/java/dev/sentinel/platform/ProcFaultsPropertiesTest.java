package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The /proc tree sampler over a fake /proc whose reads fail the ways real ones do: a process listed
 * by its parent is gone before its directory is opened, a stat read comes back empty (the kernel's
 * ESRCH for a reaped process), a stat line is cut short or is not a stat line, a pid directory has
 * no files, a children or cmdline file is empty. Whatever the faults, a sample never counts a
 * process twice, never counts one that is gone, never counts one for more than it holds (no false
 * crossing), and always has the main process while it lives (no false "gone"); a process it knows
 * whose stat read is not a stat line keeps its last reading (the sample of it is skipped).
 *
 * <p>A fake directory differs from /proc in one way that matters here: a file kept open after it is
 * deleted still reads its old content, where a reaped process's stat reads nothing. So a process
 * that ends here has its stat emptied before its directory goes.
 */
class ProcFaultsPropertiesTest {

    private static final long ROOT = 100;
    private static final long PAGE = 4096;
    /** Parent of each process; the root's is 1. */
    private static final Map<Long, Long> PARENT = Map.of(ROOT, 1L, 200L, ROOT, 300L, ROOT, 400L, 300L, 500L, 300L);
    /** Each process's true RSS in pages: distinct, so a sum names who was counted. */
    private static final Map<Long, Long> PAGES = Map.of(ROOT, 1000L, 200L, 200L, 300L, 30L, 400L, 4L, 500L, 5000L);

    enum Fault {
        /** Read as it is. */
        NONE,
        /** Ended: its stat reads nothing, its directory is gone, but its parent still lists it (the race). */
        ENDED_STILL_LISTED,
        /** Its stat is cut short at a random length (at least one byte). */
        TRUNCATED,
        /** Its stat holds bytes that are not a stat line. */
        GARBLED,
        /** Its directory is there without a stat file (ENOENT at the open). */
        NO_STAT_FILE,
        /** Its children file reads empty (its thread ended as it was read). */
        CHILDREN_EMPTY,
        /** Its cmdline is empty (a process between fork and exec, or a kernel thread). */
        CMDLINE_EMPTY
    }

    /** One step: a fault for each process (the main process is never ended: it lives throughout), and a cut. */
    record Step(Map<Long, Fault> faults, int cut, long garbleSeed) {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Fault> any = Arbitraries.of(Fault.class);
        Arbitrary<Fault> forRoot = Arbitraries.of(Fault.NONE, Fault.TRUNCATED, Fault.GARBLED, Fault.CHILDREN_EMPTY,
                Fault.CMDLINE_EMPTY);
        Arbitrary<Step> step = Combinators.combine(forRoot, any, any, any, any, Arbitraries.integers().between(1, 200),
                Arbitraries.longs()).as((r, a, b, c, d, cut, seed) -> new Step(
                        Map.of(ROOT, r, 200L, a, 300L, b, 400L, c, 500L, d), cut, seed));
        return step.list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(seed = "20261207", tries = 200)
    void aSampleIsRightOrSkippedNeverAFalseGoneNorAFalseCrossing(@ForAll("steps") List<Step> steps) throws IOException {
        Path root = Files.createTempDirectory("fake-proc");
        try {
            run(root, steps);
        } finally {
            try (Stream<Path> all = Files.walk(root)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path root, List<Step> steps) throws IOException {
        Set<Long> ended = new HashSet<>();
        AtomicLong now = new AtomicLong();
        Map<Long, ProcessSample> previous = new HashMap<>();
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), ROOT, PAGE, ProcessClock.NONE, now::get)) {
            // The first sample sees the whole tree, as it is right after the launch.
            write(root, new Step(Map.of(), 0, 0), ended);
            TreeSample first = sampler.sample();
            assertEquals(PAGES.values().stream().mapToLong(Long::longValue).sum() * PAGE, first.rssBytes(),
                    first.processes().toString());
            first.processes().forEach(p -> previous.put(p.pid(), p));
            for (Step step : steps) {
                write(root, step, ended);
                now.addAndGet(250_000_000L);
                TreeSample s = sampler.sample();
                String where = "after " + step + ": " + s.processes();
                Set<Long> seen = new HashSet<>();
                long sum = 0;
                for (ProcessSample p : s.processes()) {
                    assertTrue(seen.add(p.pid()), "counted twice, " + where);
                    assertFalse(ended.contains(p.pid()), "a process that ended is counted, " + where);
                    assertTrue(p.rssBytes() >= 0 && p.rssBytes() <= PAGES.get(p.pid()) * PAGE,
                            "more than it holds, " + where);
                    sum += p.rssBytes();
                }
                assertEquals(sum, s.rssBytes(), where);
                assertTrue(seen.contains(ROOT), "the main process lives but is missing (a false gone), " + where);
                for (Map.Entry<Long, Fault> f : step.faults().entrySet()) {
                    if (f.getValue() == Fault.GARBLED && previous.containsKey(f.getKey())) {
                        // A process known before whose read gave no stat line: its last reading stands.
                        assertTrue(seen.contains(f.getKey()), "a known process dropped on a garbled read, " + where);
                    }
                }
                previous.clear();
                s.processes().forEach(p -> previous.put(p.pid(), p));
            }
        }
    }

    /** Writes the fake /proc as {@code step} has it; processes that end stay ended. */
    private static void write(Path root, Step step, Set<Long> ended) throws IOException {
        java.util.Random garble = new java.util.Random(step.garbleSeed());
        for (long pid : PARENT.keySet()) {
            Fault f = step.faults().getOrDefault(pid, Fault.NONE);
            Path dir = root.resolve(Long.toString(pid));
            if (f == Fault.ENDED_STILL_LISTED) {
                ended.add(pid);
            }
            if (ended.contains(pid)) {
                if (Files.isDirectory(dir)) {
                    // Emptied first: a sampler holding the file open reads nothing, as from a reaped process.
                    for (String name : List.of("stat", "stat.hidden")) {
                        if (Files.exists(dir.resolve(name))) {
                            Files.write(dir.resolve(name), new byte[0]);
                        }
                    }
                    try (Stream<Path> all = Files.walk(dir)) {
                        all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                }
                continue;
            }
            Files.createDirectories(dir.resolve("task/" + pid));
            String line = statLine(pid);
            byte[] statBytes = switch (f) {
                case TRUNCATED -> line.substring(0, Math.min(step.cut(), line.length() - 1))
                        .getBytes(StandardCharsets.US_ASCII);
                case GARBLED -> garbled(garble);
                default -> line.getBytes(StandardCharsets.US_ASCII);
            };
            // The file keeps its inode throughout (a live process's stat never goes away under an
            // open file): hidden, it is moved aside, so that a new open fails with ENOENT.
            Path stat = dir.resolve("stat");
            Path hidden = dir.resolve("stat.hidden");
            if (Files.exists(hidden)) {
                Files.move(hidden, stat);
            }
            Files.write(stat, statBytes);
            if (f == Fault.NO_STAT_FILE) {
                Files.move(stat, hidden);
            }
            Files.write(dir.resolve("cmdline"), f == Fault.CMDLINE_EMPTY ? new byte[0]
                    : ("app-" + pid + "\0--flag\0").getBytes(StandardCharsets.UTF_8));
            StringBuilder children = new StringBuilder();
            if (f != Fault.CHILDREN_EMPTY) {
                for (Map.Entry<Long, Long> e : PARENT.entrySet()) {
                    // A child that ended is still listed: the race between a listing and the read.
                    if (e.getValue() == pid && (!ended.contains(e.getKey())
                            || step.faults().get(e.getKey()) == Fault.ENDED_STILL_LISTED)) {
                        children.append(e.getKey()).append(' ');
                    }
                }
            }
            Files.writeString(dir.resolve("task/" + pid + "/children"), children.toString());
        }
    }

    private static String statLine(long pid) {
        return pid + " (app " + pid + ") S " + PARENT.get(pid) + " " + ROOT + " " + ROOT
                + " 0 -1 4194304 10 0 0 0 3 2 0 0 20 0 1 0 " + (5000 + pid) + " 123456789 " + PAGES.get(pid)
                + " 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    }

    /** Up to 300 bytes without a ')' (so not a stat line), of any other value. */
    private static byte[] garbled(java.util.Random r) {
        byte[] b = new byte[1 + r.nextInt(300)];
        r.nextBytes(b);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == ')') {
                b[i] = '7';
            }
        }
        return b;
    }

    /** The chosen cases by name, so that each shows on its own when it breaks. */
    @Test
    void aChildListedButGoneBeforeItsReadIsLeftOutAndTheRestCounted(@TempDir Path root) throws IOException {
        Set<Long> ended = new HashSet<>();
        write(root, new Step(Map.of(), 0, 0), ended);
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), ROOT, PAGE)) {
            write(root, new Step(Map.of(500L, Fault.ENDED_STILL_LISTED), 0, 0), ended);
            TreeSample s = sampler.sample();
            assertEquals((1000 + 200 + 30 + 4) * PAGE, s.rssBytes(), s.processes().toString());
        }
    }

    @Test
    void aKnownProcessWhoseStatIsNotAStatLineKeepsItsLastReading(@TempDir Path root) throws IOException {
        Set<Long> ended = new HashSet<>();
        write(root, new Step(Map.of(), 0, 0), ended);
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), ROOT, PAGE)) {
            long all = sampler.sample().rssBytes();
            write(root, new Step(Map.of(ROOT, Fault.GARBLED, 300L, Fault.TRUNCATED), 40, 7), ended);
            TreeSample s = sampler.sample();
            assertEquals(all, s.rssBytes(), "every reading stands: " + s.processes());
            assertEquals(ROOT, s.processes().get(0).pid(), "the main process first");
            write(root, new Step(Map.of(), 0, 0), ended);
            assertEquals(all, sampler.sample().rssBytes(), "read again once the files are whole");
        }
    }

    @Test
    void aNewProcessWhoseStatIsNotAStatLineIsLeftOutUntilItReads(@TempDir Path root) throws IOException {
        Set<Long> ended = new HashSet<>();
        write(root, new Step(Map.of(200L, Fault.GARBLED), 0, 3), ended);
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), ROOT, PAGE)) {
            assertEquals((1000 + 30 + 4 + 5000) * PAGE, sampler.sample().rssBytes());
            write(root, new Step(Map.of(), 0, 0), ended);
            assertEquals((1000 + 200 + 30 + 4 + 5000) * PAGE, sampler.sample().rssBytes());
        }
    }

    @Test
    void anEmptyChildrenFileLosesNoKnownDescendant(@TempDir Path root) throws IOException {
        Set<Long> ended = new HashSet<>();
        write(root, new Step(Map.of(), 0, 0), ended);
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), ROOT, PAGE)) {
            long all = sampler.sample().rssBytes();
            write(root, new Step(Map.of(ROOT, Fault.CHILDREN_EMPTY, 300L, Fault.CHILDREN_EMPTY), 0, 0), ended);
            TreeSample s = sampler.sample();
            assertEquals(all, s.rssBytes(), s.processes().toString());
            assertEquals(5, s.count());
        }
    }

    @Test
    void aPidDirectoryWithoutFilesIsNotAProcess(@TempDir Path root) throws IOException {
        Set<Long> ended = new HashSet<>();
        write(root, new Step(Map.of(400L, Fault.NO_STAT_FILE, 500L, Fault.NO_STAT_FILE), 0, 0), ended);
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), ROOT, PAGE)) {
            TreeSample s = sampler.sample();
            assertEquals((1000 + 200 + 30) * PAGE, s.rssBytes(), s.processes().toString());
        }
    }

    /**
     * A child its parent lists whose stat cannot be opened had just ended; still listed a second
     * later it is hidden from Sentinel (hidepid=invisible, for a process that is not dumpable).
     */
    @Test
    void aListedChildThatCannotBeOpenedForASecondIsHidden(@TempDir Path root) throws IOException {
        Set<Long> ended = new HashSet<>();
        write(root, new Step(Map.of(), 0, 0), ended);
        AtomicLong now = new AtomicLong();
        try (ProcTreeSampler sampler = new ProcTreeSampler(new ProcFs(root), ROOT, PAGE, ProcessClock.NONE, now::get)) {
            // 500 is listed by 300 but has no directory: it ended, or it is hidden.
            write(root, new Step(Map.of(500L, Fault.ENDED_STILL_LISTED), 0, 0), ended);
            Files.writeString(root.resolve("300/task/300/children"), "400 500 ");
            sampler.sample();
            assertEquals(0, sampler.hidden(), "once is a process that just ended");
            now.addAndGet(500_000_000L);
            sampler.sample();
            assertEquals(0, sampler.hidden(), "half a second: a parent slow to reap");
            now.addAndGet(500_000_000L);
            sampler.sample();
            assertEquals(1, sampler.hidden(), "still listed a second later: hidden");
            Files.writeString(root.resolve("300/task/300/children"), "400 ");
            now.addAndGet(250_000_000L);
            sampler.sample();
            assertEquals(0, sampler.hidden(), "no longer listed: gone");
        }
    }
}
