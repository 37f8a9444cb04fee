package dev.sentinel.core.program;

import dev.sentinel.settings.KernelLimit;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.testing.FakeTree;
import java.util.ArrayList;
import java.util.List;

/**
 * A program's cgroup as the machine sees it: its members and "populated" follow the fake tree
 * unless a test says otherwise; the OOM count and the kernel's word are the test's to move.
 */
final class FakeCgroup implements Confinement {

    private final FakeTree tree;
    final List<String> limits = new ArrayList<>();
    long oomKills;
    boolean spoke;
    Boolean populated;
    long[] extraMembers = new long[0];
    int killAlls;
    long backstop = -1;

    FakeCgroup(FakeTree tree) {
        this.tree = tree;
    }

    @Override
    public String describe() {
        return "cgroup /fake/app";
    }

    @Override
    public long applyLimits(MemoryLimit limit, KernelLimit kernel, boolean tolerating) {
        limits.add(limit + "/" + kernel + (tolerating ? " tolerating" : "") + " at launch " + tree.launches());
        backstop = kernel.backstopBytes(limit, tolerating);
        return backstop;
    }

    @Override
    public long[] members() {
        return extraMembers;
    }

    @Override
    public boolean populated() {
        return populated != null ? populated : tree.groupAlive(tree.mainPid());
    }

    @Override
    public boolean killAll() {
        killAlls++;
        return true;
    }

    @Override
    public long oomKills() {
        return oomKills;
    }

    @Override
    public boolean kernelSpoke() {
        boolean s = spoke;
        spoke = false;
        return s;
    }
}
