package dev.sentinel.platform.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides which containment this host gives and sets it up: the programs' parent directories,
 * on pure v2 also Sentinel's own leaf and the memory controller for the programs.
 */
final class Detector {

    static final String SYSTEMD_HINT =
            "on a systemd host, run it as systemd-run --user --scope -p Delegate=yes sentinel …";

    /** The extended attributes systemd sets to "1" on a cgroup it delegated: user manager, system manager. */
    static final String[] DELEGATE_XATTRS = {"user.delegate", "trusted.delegate"};

    /** Under the file system root: either is there when systemd manages the cgroup tree (sd_booted). */
    static final String[] SYSTEMD_MARKERS = {"sys/fs/cgroup/init.scope", "run/systemd/system"};

    /** Directories of a Sentinel: its programs' parent and, on pure v2, its own leaf. */
    private static final Pattern OURS = Pattern.compile("sentinel-([0-9]+)(-self)?");

    private final Path procSelf;
    private final Path proc;
    private final Path fsRoot;
    private final long selfPid;
    private final CgroupFiles files;

    Detector(Path procSelf, Path fsRoot, long selfPid, CgroupFiles files) {
        this(procSelf, procSelf.toAbsolutePath().getParent(), fsRoot, selfPid, files);
    }

    /** With {@code proc} apart: where /proc/PID tells whether the Sentinel of a stale cgroup lives. */
    Detector(Path procSelf, Path proc, Path fsRoot, long selfPid, CgroupFiles files) {
        this.procSelf = procSelf;
        this.proc = proc;
        this.fsRoot = fsRoot;
        this.selfPid = selfPid;
        this.files = files;
    }

    Containment detect(CgroupMode mode) throws CgroupException {
        if (mode == CgroupMode.OFF) {
            return new NoContainment("--cgroup off");
        }
        Containment c = setUp();
        if (mode == CgroupMode.REQUIRE && c instanceof NoContainment none) {
            String why = none.why().endsWith(SYSTEMD_HINT) ? none.why() : none.why() + "; " + SYSTEMD_HINT;
            throw new CgroupException("no cgroup Sentinel can use: " + why);
        }
        return c;
    }

    private Containment setUp() {
        CgroupPaths paths;
        try {
            paths = CgroupPaths.read(procSelf, fsRoot);
        } catch (IOException e) {
            return new NoContainment("cannot read " + procSelf + "/cgroup or mountinfo: " + CgroupText.reason(e));
        }
        if (paths.v1Base() != null) {
            return hybrid(paths);
        }
        if (paths.v2Base() != null) {
            return pureV2(paths.v2Base(), paths.v2Path());
        }
        return new NoContainment(paths.v2Why() + " and " + paths.v1Why());
    }

    /**
     * v1 memory, with the controller-less cgroup2 beside it where there is one. Sentinel stays
     * where it is: neither of these has the no-internal-processes rule.
     */
    private Containment hybrid(CgroupPaths paths) {
        String name = "sentinel-" + selfPid;
        Path v1Parent = null;
        String v1Why;
        try {
            v1Parent = parent(paths.v1Base(), name);
            v1Why = null;
        } catch (IOException e) {
            v1Why = unusable(paths.v1Base(), e);
        }
        Path v2Parent = null;
        String v2Why = paths.v2Why();
        if (paths.v2Base() != null) {
            try {
                v2Parent = parent(paths.v2Base(), name);
            } catch (IOException e) {
                v2Why = unusable(paths.v2Base(), e);
            }
        }
        String d;
        if (v1Parent != null && v2Parent != null) {
            d = "cgroup v1 memory + v2 (hybrid): " + v1Parent + ", " + v2Parent;
        } else if (v1Parent != null) {
            d = "cgroup v1 memory: " + v1Parent + " (" + v2Why + ": membership from v1, kill by pid)";
        } else if (v2Parent != null) {
            d = "cgroup v2 without memory controller: " + v2Parent + " (" + v1Why + ": no kernel limit)";
        } else {
            return new NoContainment(v1Why);
        }
        return new CgroupContainment(v2Parent, v1Parent, false, d, files);
    }

    /**
     * Pure v2. A cgroup with controllers in its subtree_control cannot hold processes, so Sentinel
     * first moves itself into a leaf beside its programs' parent, then gives memory to the
     * programs: base (Sentinel's leaf, sentinel-PID (the programs' parent (program cgroups))).
     * Only in a base delegated to it: nothing under base is touched otherwise.
     */
    private Containment pureV2(Path found, String cgroupPath) {
        Path base = found;
        String path = cgroupPath;
        String self = "sentinel-" + selfPid + "-self";
        if (base.getFileName() != null && base.getFileName().toString().equals(self) && base.getParent() != null) {
            base = base.getParent(); // already moved, by an earlier detect of this process
            path = path.endsWith("/" + self) ? path.substring(0, path.length() - self.length() - 1) : path;
        }
        if (!delegated(base, path)) {
            return new NoContainment(base + " is not delegated to Sentinel (systemd manages it); " + SYSTEMD_HINT);
        }
        cleanStale(base);
        Path leaf = base.resolve(self);
        try {
            mkdirIfMissing(leaf);
        } catch (IOException e) {
            return new NoContainment(unusable(base, e));
        }
        try {
            files.write(leaf.resolve("cgroup.procs"), Long.toString(selfPid));
        } catch (IOException e) {
            rmdirQuietly(leaf);
            return new NoContainment("cannot move Sentinel into " + leaf + " (" + CgroupText.reason(e)
                    + "): " + base + " is not delegated to it");
        }
        // The kernel refuses controllers for the children of a cgroup that holds processes: in a
        // container's cgroup namespace root (or a scope it was started in) whatever else is there
        // moves into the leaf beside Sentinel, and back when Sentinel exits (moby's dind does the
        // same with its /init cgroup).
        // The hierarchy's own root (it has no cgroup.type) may hold processes beside controllers:
        // there init and the kernel's threads stay where they are.
        boolean hostRoot = !Files.exists(base.resolve("cgroup.type"));
        if (!hostRoot) {
            movePeers(base, leaf);
        }
        List<String> enabled = new ArrayList<>();
        String noMemory = enable(base, "memory", enabled);
        enable(base, "pids", enabled);
        SelfLeaf own = new SelfLeaf(base, leaf, hostRoot ? List.of() : List.copyOf(enabled));
        Path parent;
        try {
            parent = parent(base, "sentinel-" + selfPid);
        } catch (IOException e) {
            own.close(files);
            return new NoContainment(unusable(base, e));
        }
        if (noMemory == null) {
            noMemory = enable(parent, "memory", new ArrayList<>());
            enable(parent, "pids", new ArrayList<>());
        }
        if (noMemory == null) {
            return new CgroupContainment(parent, null, true, "cgroup v2: " + parent + " (Sentinel in " + leaf + ")",
                    files, own);
        }
        return new CgroupContainment(parent, null, false, "cgroup v2 without memory controller: " + parent
                + " (" + noMemory + ": no kernel limit; Sentinel in " + leaf + ")", files, own);
    }

    /** Moves every other process of base into the leaf (pids the namespace cannot see read as 0). */
    private void movePeers(Path base, Path leaf) {
        long[] pids;
        try {
            pids = new ReadBuffer().read(base.resolve("cgroup.procs")).pids();
        } catch (IOException e) {
            return; // the enable that follows says what is wrong
        }
        for (long pid : pids) {
            if (pid <= 0 || pid == selfPid) {
                continue;
            }
            try {
                files.write(leaf.resolve("cgroup.procs"), Long.toString(pid));
            } catch (IOException e) {
                // gone meanwhile, or not ours to move: the enable that follows says busy
            }
        }
    }

    /**
     * Whether Sentinel may make sub-cgroups in base and write its attributes: systemd marked it
     * delegated (Delegate=yes), or it is the root of this process's cgroup namespace (a container
     * with its own, a host without systemd), or no systemd manages the tree. A cgroup systemd made
     * without delegating it is systemd's even when the user owns it (a terminal's scope under
     * user@UID.service): systemd docs/CGROUP_DELEGATION.md.
     */
    private boolean delegated(Path base, String cgroupPath) {
        if (cgroupPath.isEmpty() || cgroupPath.equals("/")) {
            return true;
        }
        for (String name : DELEGATE_XATTRS) {
            String value = files.xattr(base, name);
            if (value != null && value.replace("\0", "").trim().equals("1")) {
                return true;
            }
        }
        for (String marker : SYSTEMD_MARKERS) {
            if (Files.isDirectory(fsRoot.resolve(marker))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Null once the controller is in the cgroup's subtree_control, else why it is not; adds it to
     * {@code enabled} when this call turned it on.
     */
    private String enable(Path cgroup, String controller, List<String> enabled) {
        Path control = cgroup.resolve("cgroup.subtree_control");
        try {
            if (CgroupText.hasWord(text(control), controller)) {
                return null;
            }
            if (!CgroupText.hasWord(text(cgroup.resolve("cgroup.controllers")), controller)) {
                return controller + " is not in " + cgroup.resolve("cgroup.controllers");
            }
            files.write(control, "+" + controller);
            enabled.add(controller);
            return null;
        } catch (IOException e) {
            String reason = CgroupText.reason(e);
            String busy = reason.contains("busy") ? ", other processes are in " + cgroup : "";
            return "cannot enable " + controller + " in " + control + " (" + reason + busy + ")";
        }
    }

    /** The programs' parent under base, after removing the stale ones of dead Sentinels there. */
    private Path parent(Path base, String name) throws IOException {
        cleanStale(base);
        Path parent = base.resolve(name);
        mkdirIfMissing(parent);
        return parent;
    }

    private void mkdirIfMissing(Path dir) throws IOException {
        try {
            files.mkdir(dir);
        } catch (FileAlreadyExistsException e) {
            // ours from an earlier detect of this process (or a pid reused after a crash): reuse it
        }
    }

    /**
     * Removes the empty {@code sentinel-PID} directories (and their empty children) of Sentinels
     * that are gone: a Sentinel killed with SIGKILL leaves them behind. Busy ones stay: a program
     * of the dead Sentinel may still run there.
     */
    private void cleanStale(Path base) {
        if (proc == null) {
            return; // no way to tell the living from the dead: remove nothing
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base)) {
            for (Path dir : dirs) {
                Matcher m = OURS.matcher(dir.getFileName().toString());
                if (!m.matches() || !Files.isDirectory(dir)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == selfPid || Files.exists(proc.resolve(Long.toString(pid)))) {
                    continue;
                }
                try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
                    for (Path child : children) {
                        if (Files.isDirectory(child)) {
                            rmdirQuietly(child);
                        }
                    }
                } catch (IOException e) {
                    continue;
                }
                rmdirQuietly(dir);
            }
        } catch (IOException e) {
            // unreadable base: the mkdir that follows reports it
        }
    }

    /**
     * In one read of a full buffer: Files.readString starts with a 1-byte read, and some kernel
     * files (sysctls) read as empty from any later offset.
     */
    private static String text(Path file) throws IOException {
        ReadBuffer b = new ReadBuffer().read(file);
        return new String(b.bytes(), 0, b.length(), StandardCharsets.US_ASCII);
    }

    private void rmdirQuietly(Path dir) {
        try {
            files.rmdir(dir);
        } catch (IOException ignored) {
            // busy: a process is still inside
        }
    }

    private static String unusable(Path base, IOException e) {
        if (e instanceof AccessDeniedException) {
            return base + " is not writable";
        }
        return "cannot create a cgroup in " + base + ": " + CgroupText.reason(e);
    }
}
