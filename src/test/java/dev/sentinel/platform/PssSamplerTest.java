package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How often smaps_rollup is read: again only when the RSS moved or the last read is old. */
class PssSamplerTest {

    private static final long MIB = 1 << 20;

    @TempDir
    Path root;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<ProcessSample> tree = new ArrayList<>();

    private final Sampler inner = new Sampler() {
        @Override
        public TreeSample sample() {
            long rss = tree.stream().mapToLong(ProcessSample::rssBytes).sum();
            return new TreeSample(tree, rss, 7, 100);
        }

        @Override
        public void close() {
        }
    };

    private void process(int index, long pid, long rssBytes, long startTicks) {
        process(index, pid, rssBytes, startTicks, 0);
    }

    private void process(int index, long pid, long rssBytes, long startTicks, long cpuTicks) {
        ProcessSample p = new ProcessSample(pid, 1, pid, index == 0 ? 0 : 1, "python3", "python3 tree.py", 'S',
                rssBytes, cpuTicks, 1, startTicks);
        if (index < tree.size()) {
            tree.set(index, p);
        } else {
            tree.add(p);
        }
    }

    private void pss(long pid, long kb) throws IOException {
        Path dir = Files.createDirectories(root.resolve(Long.toString(pid)));
        Files.writeString(dir.resolve("smaps_rollup"), "0-1 ---p 00000000 00:00 0 [rollup]\nRss: 1 kB\nPss: " + kb
                + " kB\nPss_Anon: 1 kB\n");
    }

    private PssSampler sampler() {
        return new PssSampler(inner, new ProcFs(root), now::get);
    }

    @Test
    void theTreeCountsItsProcessesPssAndEachProcessShowsItsOwn() throws IOException {
        process(0, 10, 160 * MIB, 5);
        process(1, 11, 150 * MIB, 6);
        pss(10, 40 * 1024);
        pss(11, 30 * 1024);
        try (PssSampler s = sampler()) {
            TreeSample t = s.sample();
            assertEquals(70 * MIB, t.rssBytes());
            assertEquals(40 * MIB, t.processes().get(0).rssBytes());
            assertEquals(30 * MIB, t.processes().get(1).rssBytes());
            assertEquals(7, t.cpuTicks(), "the inner sample's CPU");
        }
    }

    @Test
    void aProcessThatRunsWithAStillRssReusesItsPssUntilItIsOld() throws IOException {
        process(0, 10, 160 * MIB, 5, 1);
        pss(10, 40 * 1024);
        try (PssSampler s = sampler()) {
            s.sample();
            pss(10, 50 * 1024);
            now.addAndGet(PssSampler.REUSE_NANOS - 1);
            process(0, 10, 160 * MIB + 4096, 5, 2);
            assertEquals(40 * MIB, s.sample().rssBytes(), "reused: the RSS barely moved");
            assertEquals(1, s.reads());
            now.addAndGet(1);
            assertEquals(50 * MIB, s.sample().rssBytes(), "read again: the last read is old");
            assertEquals(2, s.reads());
        }
    }

    @Test
    void aQuietTreeIsReadAgainOnlyEveryHalfMinute() throws IOException {
        process(0, 10, 160 * MIB, 5, 7);
        process(1, 11, 150 * MIB, 6, 3);
        pss(10, 40 * 1024);
        pss(11, 30 * 1024);
        try (PssSampler s = sampler()) {
            s.sample();
            now.addAndGet(PssSampler.QUIET_REUSE_NANOS - 1);
            assertEquals(70 * MIB, s.sample().rssBytes());
            assertEquals(2, s.reads(), "neither ran, the tree kept its processes");
            now.addAndGet(1);
            s.sample();
            assertEquals(4, s.reads());
        }
    }

    @Test
    void aProcessLeavingTheTreeEndsTheQuietReuseOfTheOthers() throws IOException {
        process(0, 10, 160 * MIB, 5, 7);
        process(1, 11, 150 * MIB, 6, 3);
        pss(10, 40 * 1024);
        pss(11, 30 * 1024);
        try (PssSampler s = sampler()) {
            s.sample();
            tree.remove(1);
            pss(10, 80 * 1024); // its share grew: one sharer fewer
            now.addAndGet(PssSampler.REUSE_NANOS);
            assertEquals(80 * MIB, s.sample().rssBytes());
            assertEquals(3, s.reads());
        }
    }

    @Test
    void aMovingRssIsReadAtOnce() throws IOException {
        process(0, 10, 160 * MIB, 5);
        pss(10, 40 * 1024);
        try (PssSampler s = sampler()) {
            s.sample();
            pss(10, 52 * 1024);
            process(0, 10, 172 * MIB, 5); // more than 1/32 of 160 MiB
            assertEquals(52 * MIB, s.sample().rssBytes());
            assertEquals(2, s.reads());
        }
    }

    @Test
    void aReusedPidIsReadAfresh() throws IOException {
        process(0, 10, 160 * MIB, 5);
        pss(10, 40 * 1024);
        try (PssSampler s = sampler()) {
            s.sample();
            pss(10, 20 * 1024);
            process(0, 10, 160 * MIB, 99);
            assertEquals(20 * MIB, s.sample().rssBytes());
        }
    }

    @Test
    void aProcessWhoseFileCannotBeReadCountsByItsRss() throws IOException {
        process(0, 10, 160 * MIB, 5);
        process(1, 12, 9 * MIB, 6);
        pss(10, 40 * 1024);
        try (PssSampler s = sampler()) {
            assertEquals(49 * MIB, s.sample().rssBytes());
        }
    }
}
