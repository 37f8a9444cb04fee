package dev.sentinel.core.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.ProcessSample;
import dev.sentinel.platform.TreeSample;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Naming the kernel's OOM victim from the samples around the kill. */
class KernelOomWatchTest {

    private static final long MIB = 1 << 20;

    private static ProcessSample p(long pid, String name, long rssMib) {
        return new ProcessSample(pid, 1, 10, 1, name, name, 'R', rssMib * MIB, 0, 1, pid * 7);
    }

    private static TreeSample tree(ProcessSample... ps) {
        long rss = 0;
        for (ProcessSample q : ps) {
            rss += q.rssBytes();
        }
        return new TreeSample(List.of(ps), rss, 0, 1000);
    }

    @Test
    void theVictimIsTheProcessThatHeldTheMemoryNotTheOneThatDiedOfItsDeath() {
        KernelOomWatch w = new KernelOomWatch();
        w.startRun(0);
        // tail held 64 MiB and began to die (its memory already released) a sample before the kill
        // was seen; head, at the other end of the pipe, died of SIGPIPE right after.
        TreeSample earlier = tree(p(10, "sh", 2), p(11, "head", 2), p(12, "tail", 64));
        TreeSample previous = tree(p(10, "sh", 2), p(11, "head", 2), p(12, "tail", 0));
        TreeSample last = tree(p(10, "sh", 2));
        KernelOomWatch.Report r = w.look(0, 1, true, TreeSample.EMPTY, earlier, previous, last);
        assertEquals("tail", r.victim().name());
        assertEquals(64 * MIB, r.victim().rssBytes(), "its size before it began to die");
        assertEquals(1, r.kills());
    }

    @Test
    void aKillSeenManySamplesLateIsSizedFromTheTreesPeak() {
        KernelOomWatch w = new KernelOomWatch();
        w.startRun(0);
        // The kernel's word came 10 ms late: every recent sample shows the dying tail small.
        TreeSample peak = tree(p(10, "sh", 2), p(11, "head", 2), p(12, "tail", 64));
        TreeSample dying = tree(p(10, "sh", 2), p(11, "head", 2), p(12, "tail", 0));
        TreeSample last = tree(p(10, "sh", 2));
        KernelOomWatch.Report r = w.look(0, 1, true, peak, dying, dying, last);
        assertEquals("tail", r.victim().name());
    }

    @Test
    void aVictimItsParentHasNotReapedWithinTheWaitIsTheOneWhoseMemoryWentBack() {
        KernelOomWatch w = new KernelOomWatch();
        w.startRun(0);
        TreeSample peak = tree(p(10, "sh", 2), p(11, "head", 2), p(12, "tail", 64));
        TreeSample dying = tree(p(10, "sh", 2), p(11, "head", 2), p(12, "tail", 0));
        assertNull(w.look(0, 1, true, peak, dying, dying, dying), "waits for it to leave first");
        KernelOomWatch.Report r = w.look(KernelOomWatch.VICTIM_WAIT_NANOS, 1, true, peak, dying, dying, dying);
        assertEquals("tail", r.victim().name());
        assertEquals(64 * MIB, r.victim().rssBytes());
    }

    @Test
    void aKillWhoseVictimIsStillInTheTreeWaitsForItToLeave() {
        KernelOomWatch w = new KernelOomWatch();
        w.startRun(0);
        TreeSample both = tree(p(10, "sh", 2), p(12, "tail", 64));
        assertNull(w.look(0, 1, true, both, both, both, both));
        assertTrue(w.pending());
        TreeSample gone = tree(p(10, "sh", 2));
        KernelOomWatch.Report r = w.look(5_000_000, 1, true, both, both, both, gone);
        assertEquals("tail", r.victim().name());
        assertNull(w.look(6_000_000, 1, true, both, gone, gone, gone), "counted once");
    }
}
