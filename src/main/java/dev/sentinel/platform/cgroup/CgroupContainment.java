package dev.sentinel.platform.cgroup;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The programs' parents Sentinel made ({@code sentinel-PID} in one or two hierarchies) and the
 * program cgroups under them.
 */
final class CgroupContainment implements Containment {

    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

    /**
     * Prefixes of the kernel's own file names in a cgroup directory (core files and every
     * controller's, v1 and v2): a program directory of such a name would clash with a control
     * file that exists now or that a later kernel adds.
     */
    private static final String[] KERNEL_PREFIXES = {
        "cgroup.", "memory.", "cpu.", "cpuacct.", "cpuset.", "io.", "blkio.", "pids.",
        "hugetlb.", "rdma.", "misc.", "irq.", "devices.", "freezer.", "net_cls.", "net_prio.",
        "perf_event.", "dmem.",
    };
    private static final String[] KERNEL_NAMES = {"tasks", "notify_on_release", "release_agent", ".", ".."};

    private final Path v2Parent;
    private final Path v1Parent;
    private final boolean v2Memory;
    private final String description;
    private final CgroupFiles files;
    private final Map<String, DirCgroup> byDir = new HashMap<>();
    private final ReadBuffer cpuBuffer = new ReadBuffer();
    private FileChannel cpuStat;
    private boolean closed;
    private final SelfLeaf leaf;
    private String leftBehind;

    CgroupContainment(Path v2Parent, Path v1Parent, boolean v2Memory, String description, CgroupFiles files) {
        this(v2Parent, v1Parent, v2Memory, description, files, null);
    }

    CgroupContainment(Path v2Parent, Path v1Parent, boolean v2Memory, String description, CgroupFiles files,
                      SelfLeaf leaf) {
        this.leaf = leaf;
        this.v2Parent = v2Parent;
        this.v1Parent = v1Parent;
        this.v2Memory = v2Memory;
        this.description = description;
        this.files = files;
    }

    @Override
    public boolean active() {
        return true;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public boolean kernelLimits() {
        return v1Parent != null || v2Memory;
    }

    /** The programs' parent directories, v2 first. */
    List<Path> parents() {
        List<Path> out = new ArrayList<>(2);
        if (v2Parent != null) {
            out.add(v2Parent);
        }
        if (v1Parent != null) {
            out.add(v1Parent);
        }
        return out;
    }

    /** The directory name for a program: its own name unless the kernel could own that name. */
    static String dirName(String programName) {
        if (programName == null || !NAME.matcher(programName).matches()) {
            throw new IllegalArgumentException("not a program name: " + programName);
        }
        for (String n : KERNEL_NAMES) {
            if (programName.equals(n)) {
                return "prog-" + programName;
            }
        }
        for (String p : KERNEL_PREFIXES) {
            if (programName.startsWith(p)) {
                return "prog-" + programName;
            }
        }
        return programName;
    }

    @Override
    public synchronized ProgramCgroup create(String programName) throws CgroupException {
        if (closed) {
            throw new CgroupException("no cgroup for " + programName + ": Sentinel's cgroups are already closed");
        }
        String dir = dirName(programName);
        DirCgroup existing = byDir.get(dir);
        if (existing != null) {
            if (existing.name().equals(programName)) {
                return existing;
            }
            throw new CgroupException("the cgroup of " + programName + " would be " + dir + ", which "
                    + existing.name() + " already has; rename one of them");
        }
        Path v2 = v2Parent == null ? null : v2Parent.resolve(dir);
        Path v1 = v1Parent == null ? null : v1Parent.resolve(dir);
        List<Path> made = new ArrayList<>(2);
        try {
            for (Path d : new Path[] {v2, v1}) {
                if (d != null) {
                    fresh(programName, d);
                    made.add(d);
                }
            }
        } catch (CgroupException e) {
            for (Path d : made) {
                rmdirQuietly(d);
            }
            throw e;
        }
        DirCgroup cgroup = new DirCgroup(programName, v2, v1, v2Memory, files, () -> forget(dir));
        byDir.put(dir, cgroup);
        return cgroup;
    }

    /** A new directory; one left by an earlier start is removed first so its counters start at 0. */
    private void fresh(String programName, Path dir) throws CgroupException {
        try {
            files.mkdir(dir);
            return;
        } catch (FileAlreadyExistsException e) {
            try {
                files.rmdir(dir);
            } catch (IOException busy) {
                throw new CgroupException("cannot make the cgroup of " + programName + ": " + dir
                        + " is left from an earlier start and still in use (" + CgroupText.reason(busy) + ")", busy);
            }
        } catch (IOException e) {
            throw new CgroupException("cannot make the cgroup of " + programName + ": mkdir " + dir + ": "
                    + CgroupText.reason(e), e);
        }
        try {
            files.mkdir(dir);
        } catch (IOException e) {
            throw new CgroupException("cannot make the cgroup of " + programName + ": mkdir " + dir + ": "
                    + CgroupText.reason(e), e);
        }
    }

    private synchronized void forget(String dir) {
        byDir.remove(dir);
    }

    @Override
    public long programsCpuMicros() {
        if (v2Parent == null) {
            return -1;
        }
        synchronized (cpuBuffer) {
            // One descriptor for the life of Sentinel: this runs several times a second.
            try {
                if (cpuStat == null) {
                    cpuStat = FileChannel.open(v2Parent.resolve("cpu.stat"));
                }
                return cpuBuffer.read(cpuStat).keyed("usage_usec", -1);
            } catch (IOException | RuntimeException e) {
                closeCpuStat();
                return -1;
            }
        }
    }

    @Override
    public void close() {
        List<DirCgroup> programs;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            programs = new ArrayList<>(byDir.values());
        }
        for (DirCgroup p : programs) {
            p.remove();
        }
        for (Path parent : parents()) {
            // Also children that were never created through this object, or whose removal failed.
            try (DirectoryStream<Path> children = Files.newDirectoryStream(parent, Files::isDirectory)) {
                for (Path child : children) {
                    rmdirQuietly(child);
                }
            } catch (IOException ignored) {
                // gone already
            }
            rmdirQuietly(parent);
        }
        synchronized (cpuBuffer) {
            closeCpuStat();
        }
        if (leaf != null) {
            leftBehind = leaf.close(files);
        }
    }

    @Override
    public SelfLeaf selfLeaf() {
        return leaf;
    }

    @Override
    public String leftBehind() {
        return leftBehind;
    }

    private void closeCpuStat() {
        if (cpuStat != null) {
            try {
                cpuStat.close();
            } catch (IOException ignored) {
                // a read-only descriptor: nothing lost
            }
            cpuStat = null;
        }
    }

    private void rmdirQuietly(Path dir) {
        try {
            files.rmdir(dir);
        } catch (IOException ignored) {
            // busy while a process is still inside: left for the next start's stale cleanup
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
