package dev.sentinel.core.program;

import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.settings.RestartSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Signal;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.FakeTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A guardian whose program has a cgroup: kernel limits, kernel OOM kills, the kernel's kill and "gone". */
class ProgramContainmentTest {

    private static final long MIB = 1 << 20;

    private final FakeClock clock = new FakeClock();
    private final FakeTree tree = new FakeTree();
    private final List<Event> events = new ArrayList<>();
    private final FakeCgroup cgroup = new FakeCgroup(tree);

    private Program guardian(RestartPolicy policy) throws LaunchException {
        RestartSettings restart = new RestartSettings(policy, Duration.ofSeconds(1), Duration.ofSeconds(60),
                Duration.ofSeconds(60), 10);
        ProgramSettings config = ProgramSettings.builder("app", List.of("app")).limit(new MemoryLimit(150 * MIB))
                .grace(Duration.ofSeconds(3)).interval(Duration.ofMillis(250)).tolerate(Duration.ZERO)
                .restart(restart).build();
        Program g = new Program(config, tree, LaunchSpec.passThrough(List.of("app")), tree, tree,
                SamplingPolicy.fixed(Duration.ofMillis(250).toNanos()), clock, events::add, () -> { }, () -> 0.5,
                cgroup);
        g.start();
        g.onTick();
        return g;
    }

    private void run(Program g, long millis) {
        for (long t = 0; t < millis; t += 10) {
            clock.advanceMillis(10);
            g.onTick();
        }
    }

    private List<Event> ofKind(EventKind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }

    @Test
    void aKillBeforeSentinelFirstLooksIsTheNewRunsToo() throws LaunchException {
        // The program reaches the kernel's limit before the loop gets to look at the count.
        tree.whileLaunching(() -> {
            cgroup.oomKills++;
            cgroup.spoke = true;
        });
        Program g = guardian(RestartPolicy.NEVER);
        run(g, 200);
        assertEquals(1, ofKind(EventKind.KERNEL_OOM).size(), events.toString());
    }

    @Test
    void aKillTheKernelCountsAfterItsWordIsStillFound() throws LaunchException {
        Program g = guardian(RestartPolicy.NEVER);
        tree.addProcess(tree.mainPid() + 1, tree.mainPid(), 10 * MIB);
        run(g, 250);
        // v1 signals the OOM as it begins: the word comes, the count only a few milliseconds later,
        // and nothing leaves the tree that a sample saw.
        cgroup.spoke = true;
        run(g, 10);
        assertTrue(ofKind(EventKind.KERNEL_OOM).isEmpty());
        cgroup.oomKills = 1;
        run(g, 200);
        assertEquals(1, ofKind(EventKind.KERNEL_OOM).size(), events.toString());
        assertEquals(ProgramState.KILLING, g.state());
    }

    @Test
    void theKernelLimitIsSetBeforeTheFirstLaunchAndMovesWithTheLimit() throws LaunchException {
        Program g = guardian(RestartPolicy.NEVER);
        assertEquals(List.of("150 MiB/auto at launch 0"), cgroup.limits, "before the program runs");
        Event started = ofKind(EventKind.STARTED).get(0);
        assertTrue(started.message().contains("cgroup /fake/app, kernel limit 166 MiB"), started.message());
        assertEquals(166L * MIB, started.fields().get("kernel_limit_bytes"));
        assertEquals("cgroup /fake/app", started.fields().get("containment"));

        g.onLimit(new MemoryLimit(1024 * MIB));
        assertEquals("1 GiB/auto at launch 1", cgroup.limits.get(1));
        Event changed = ofKind(EventKind.LIMIT_CHANGED).get(0);
        assertEquals("limit changed from 150 MiB to 1 GiB; kernel limit 1.1 GiB", changed.message());
        assertEquals(cgroup.backstop, changed.fields().get("kernel_limit_bytes"));
    }

    @Test
    void aKernelOomKillIsReportedTheRestIsKilledAndTheRunEndsAsKernelOom() throws LaunchException {
        Program g = guardian(RestartPolicy.NEVER);
        tree.addProcess(4242, tree.mainPid(), 140 * MIB);
        run(g, 250);
        assertEquals(ProgramState.RUNNING, g.state());
        // The kernel kills the biggest process (v1 kills one task only) and says so.
        tree.removeProcess(4242);
        cgroup.oomKills = 1;
        cgroup.spoke = true;
        clock.advanceMillis(1);
        g.onTick();

        Event oom = ofKind(EventKind.KERNEL_OOM).get(0);
        assertEquals("the kernel killed pid 4242 (p4242, 140 MiB) at the kernel limit 166 MiB", oom.message());
        assertEquals(4242L, oom.fields().get("pid"));
        assertEquals(ProgramState.KILLING, g.state(), "the rest of the tree is killed");
        assertEquals(1, cgroup.killAlls, "by cgroup.kill");
        assertTrue(tree.sent().contains(new FakeTree.Sent(tree.mainPid(), true, Signal.KILL)));

        tree.everythingExits(137);
        run(g, 10);
        assertEquals(ProgramState.EXITED, g.state());
        assertEquals(137, g.exitCode());
        ProgramSnapshot s = g.snapshot();
        assertEquals(StopReason.KERNEL_OOM, s.lastStop());
        assertEquals(List.of(new KillCount(StopReason.KERNEL_OOM, Signal.KILL, 1)), s.kills());
        assertEquals(1, ofKind(EventKind.KERNEL_OOM).size(), "reported once");
    }

    @Test
    void anOomKillCountedBeforeItsVictimDiedNamesTheVictimOnceItIsGone() throws LaunchException {
        Program g = guardian(RestartPolicy.NEVER);
        tree.addProcess(4242, tree.mainPid(), 140 * MIB);
        run(g, 250);
        cgroup.oomKills = 1;
        cgroup.spoke = true;
        clock.advanceMillis(1);
        g.onTick();
        assertEquals(0, ofKind(EventKind.KERNEL_OOM).size(), "pid 4242 is still dying");
        tree.removeProcess(4242);
        clock.advanceMillis(1);
        g.onTick();
        assertEquals("the kernel killed pid 4242 (p4242, 140 MiB) at the kernel limit 166 MiB",
                ofKind(EventKind.KERNEL_OOM).get(0).message());
        assertEquals(ProgramState.KILLING, g.state());
    }

    @Test
    void anOomKillWhoseVictimCannotBeSeenIsReportedAfterAShortWait() throws LaunchException {
        Program g = guardian(RestartPolicy.NEVER);
        run(g, 250);
        cgroup.oomKills = 1;
        cgroup.spoke = true;
        run(g, 120);
        assertEquals("the kernel killed a process at the kernel limit 166 MiB",
                ofKind(EventKind.KERNEL_OOM).get(0).message());
    }

    @Test
    void anOomKillNobodyWasToldOfIsFoundWhenTheTreeIsGone() throws LaunchException {
        // Sentinel was stopped: the kernel killed the whole tree (memory.oom.group) meanwhile, no notification came.
        Program g = guardian(RestartPolicy.ON_FAILURE);
        run(g, 250);
        cgroup.oomKills = 2;
        tree.everythingExits(137);
        run(g, 10);
        Event oom = ofKind(EventKind.KERNEL_OOM).get(0);
        assertTrue(oom.message().startsWith("the kernel killed pid " + tree.mainPid()), oom.message());
        assertTrue(oom.message().endsWith("(2 OOM kills)"), oom.message());
        assertEquals(ProgramState.BACKOFF, g.state(), "restarted per policy, as a memory stop");
        Event scheduled = ofKind(EventKind.RESTART_SCHEDULED).get(0);
        assertEquals("memory", scheduled.fields().get("reason"));
        Event exited = ofKind(EventKind.EXITED).get(0);
        assertEquals("kernel-oom", exited.fields().get("reason"));
        assertEquals(137, exited.fields().get("sentinel_status"));
    }

    @Test
    void anOomKillBeforeThisRunIsNotThisRunsStop() throws LaunchException {
        cgroup.oomKills = 3;
        Program g = guardian(RestartPolicy.NEVER);
        run(g, 250);
        tree.everythingExits(0);
        run(g, 10);
        assertEquals(0, ofKind(EventKind.KERNEL_OOM).size());
        assertEquals(0, g.exitCode());
    }

    @Test
    void theTreeIsGoneWhenTheKernelSaysTheCgroupIsEmpty() throws LaunchException {
        Program g = guardian(RestartPolicy.NEVER);
        run(g, 250);
        cgroup.populated = true;  // a process no sample saw is still in the cgroup
        tree.everythingExits(0);
        run(g, 20);
        assertFalse(g.isFinished(), "the main process is gone, the cgroup is not empty");
        cgroup.populated = false;
        cgroup.spoke = true;      // cgroup.events: populated 0
        clock.advanceMillis(1);
        g.onTick();
        assertTrue(g.isFinished());
    }

    @Test
    void aStopSignalsCgroupMembersNoSampleSawAndTheKillTierKillsTheCgroup() throws LaunchException {
        Program g = guardian(RestartPolicy.NEVER);
        run(g, 250);
        cgroup.extraMembers = new long[] {tree.mainPid(), 7777};
        g.onStop(StopReason.STOP);
        assertTrue(tree.sent().contains(new FakeTree.Sent(7777, false, Signal.TERM)), tree.sent().toString());
        assertFalse(tree.sent().contains(new FakeTree.Sent(tree.mainPid(), false, Signal.TERM)),
                "the main process had the group's signal; once is enough");
        assertEquals(0, cgroup.killAlls);
        run(g, 3010);
        assertEquals(ProgramState.KILLING, g.state());
        assertTrue(cgroup.killAlls >= 1);
    }
}
