package dev.sentinel.testing;

import dev.sentinel.platform.Child;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.ProcessLauncher;
import dev.sentinel.platform.ProcessSample;
import dev.sentinel.platform.Sampler;
import dev.sentinel.platform.Signal;
import dev.sentinel.platform.Signaller;
import dev.sentinel.platform.TreeSample;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A pretend process tree for unit tests of the guardian: a launcher, a sampler and a signaller
 * that share one scripted state. Tests set the tree's processes and the main process's exit,
 * and read back which signals were sent to whom.
 */
public final class FakeTree implements ProcessLauncher, Sampler.Factory, Signaller {

    /** A signal as the fake recorded it: to a group ({@code group} true) or to one pid. */
    public record Sent(long target, boolean group, Signal signal) {
    }

    private final List<Sent> sent = new ArrayList<>();
    private final List<ProcessSample> processes = new ArrayList<>();
    private long nextPid = 1000;
    private long mainPid;
    private Integer exit;
    private int launches;
    private int released;
    private int failingLaunches;
    private Runnable whileLaunching = () -> { };
    /** Samples see nothing while true: a process that runs but is not in /proc yet. */
    private boolean hidden;
    /** Launches attach (as {@code sentinel attach}) to a process in a group shared with others, and only once. */
    private boolean attaching;

    public FakeTree() {
    }

    /** A tree whose first main process is {@code firstPid} (two fakes side by side must differ). */
    public FakeTree(long firstPid) {
        this.nextPid = firstPid;
    }

    @Override
    public Child launch(LaunchSpec spec) throws LaunchException {
        whileLaunching.run();
        if (failingLaunches > 0) {
            failingLaunches--;
            throw new LaunchException("app: not found", 127);
        }
        launches++;
        mainPid = nextPid;
        nextPid += 100;
        exit = null;
        processes.clear();
        addProcess(mainPid, mainPid, 10 << 20);
        long pid = mainPid;
        return new Child() {
            @Override
            public long pid() {
                return pid;
            }

            @Override
            public long pgid() {
                return pid;
            }

            @Override
            public OptionalInt exitStatus() {
                return pid == mainPid && exit != null ? OptionalInt.of(exit) : pid != mainPid ? OptionalInt.of(0)
                        : OptionalInt.empty();
            }

            @Override
            public void onExit(Runnable action) {
            }

            @Override
            public void release() {
                released++;
            }

            @Override
            public boolean groupIsTree() {
                return !attaching;
            }

            @Override
            public boolean attached() {
                return attaching;
            }
        };
    }

    /**
     * From now on a launch attaches, as {@code sentinel attach} does, to a process whose group is
     * shared with processes outside its tree; and no order may start it.
     */
    public void attaching() {
        attaching = true;
    }

    @Override
    public boolean ordersStart() {
        return !attaching;
    }

    @Override
    public Sampler open(long rootPid) {
        return new Sampler() {
            @Override
            public TreeSample sample() {
                if (hidden) {
                    return TreeSample.EMPTY;
                }
                long rss = processes.stream().mapToLong(ProcessSample::rssBytes).sum();
                return new TreeSample(processes, rss, 0, 1000);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public boolean signal(long pid, Signal signal) {
        sent.add(new Sent(pid, false, signal));
        return true;
    }

    @Override
    public boolean signalGroup(long pgid, Signal signal) {
        sent.add(new Sent(pgid, true, signal));
        return true;
    }

    @Override
    public boolean groupAlive(long pgid) {
        return processes.stream().anyMatch(p -> p.pgid() == pgid);
    }

    /** Adds a process to the tree in group {@code pgid}. */
    public void addProcess(long pid, long pgid, long rssBytes) {
        processes.add(new ProcessSample(pid, mainPid, pgid, pid == mainPid ? 0 : 1, "p" + pid, "p" + pid, 'S',
                rssBytes, 0, 1, 0));
    }

    /** A process leaves the tree (it ended, or the kernel killed it). */
    public void removeProcess(long pid) {
        processes.removeIf(p -> p.pid() == pid);
    }

    /** Sets the main process's RSS. */
    public void setMainRss(long rssBytes) {
        for (int i = 0; i < processes.size(); i++) {
            ProcessSample p = processes.get(i);
            if (p.pid() == mainPid) {
                processes.set(i, new ProcessSample(p.pid(), p.ppid(), p.pgid(), 0, p.name(), p.command(), p.state(),
                        rssBytes, 0, 1, 0));
            }
        }
    }

    /** The main process ends with {@code status}; it leaves the tree. */
    public void mainExits(int status) {
        exit = status;
        processes.removeIf(p -> p.pid() == mainPid);
    }

    /** Every process of the tree ends (as after SIGKILL). */
    public void everythingExits(int mainStatus) {
        if (exit == null) {
            exit = mainStatus;
        }
        processes.clear();
    }

    /** While {@code h}, samples see no process of the tree (it runs, but no sample has seen it yet). */
    public void hide(boolean h) {
        hidden = h;
    }

    /** Runs during every launch, as the time a real fork and exec take (a test advances its clock). */
    public void whileLaunching(Runnable action) {
        whileLaunching = action;
    }

    /** The next {@code n} launches fail as a command that is not found (127). */
    public void failLaunches(int n) {
        failingLaunches = n;
    }

    public long mainPid() {
        return mainPid;
    }

    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    public int launches() {
        return launches;
    }

    public int released() {
        return released;
    }
}
