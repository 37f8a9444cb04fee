package dev.sentinel.platform.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A cgroup file tree in a temporary directory, and the kernel's side of it: mkdir creates the
 * control files, rmdir refuses a cgroup with processes or children, writes to cgroup.procs move
 * a pid, cgroup.subtree_control follows the no-internal-processes rule, limits round down to
 * pages and v1 keeps limit <= memsw. Every write is logged as "relative/path value". Extended
 * attributes are what {@link #xattrs} says, {@code trusted.*} too.
 */
final class FakeKernel implements CgroupFiles {

    static final String V1_MAX = "9223372036854771712";
    private static final long PAGE = 4096;

    final Path root;
    final Path v2Mount;
    final Path v1Mount;
    final List<String> writes = new ArrayList<>();
    /** Directories (and files) a write or mkdir below is refused in, as for a non-root user. */
    final Set<Path> readOnly = new HashSet<>();
    /** File -> strerror text of the error its next writes fail with. */
    final Map<Path, String> failing = new HashMap<>();
    /** Directory -> its extended attributes (name -> value), as getxattr would read them. */
    final Map<Path, Map<String, String>> xattrs = new HashMap<>();
    private final String v2RootControllers;
    private final boolean memsw;

    private FakeKernel(Path root, Path v2Mount, Path v1Mount, String v2RootControllers, boolean memsw) {
        this.root = root;
        this.v2Mount = v2Mount;
        this.v1Mount = v1Mount;
        this.v2RootControllers = v2RootControllers;
        this.memsw = memsw;
    }

    // ---- host shapes -------------------------------------------------------------------------

    /** This machine: /proc/self/cgroup and the cgroup lines of mountinfo, copied. */
    static final String HYBRID_CGROUP = """
            9:name=systemd:/
            8:pids:/
            7:blkio:/
            6:freezer:/
            5:devices:/
            4:memory:/process_api/2eccbc9d7caff6ccc2ea4b4994436cdf
            3:cpuset:/
            2:cpuacct:/
            1:cpu:/
            0::/
            """;
    static final String HYBRID_MOUNTINFO = """
            22 1 0:20 / /sys rw,nosuid,nodev,noexec,relatime - sysfs sysfs rw
            30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu
            32 30 0:29 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct
            33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset
            34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            35 30 0:32 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices
            36 30 0:33 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer
            37 30 0:34 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio
            38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
            40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
            """;
    static final String HYBRID_V1_PATH = "/process_api/2eccbc9d7caff6ccc2ea4b4994436cdf";

    /**
     * A systemd desktop: a delegated scope from systemd-run --user --scope -p Delegate=yes, which
     * the user manager marks with user.delegate=1.
     */
    static final String V2_PATH = "/user.slice/user-1000.slice/user@1000.service/app.slice/run-u42.scope";
    static final String V2_MOUNTINFO = """
            24 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw
            25 24 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 - sysfs sysfs rw
            35 25 0:30 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot
            """;

    /** Docker on an old v1 host, without a cgroup namespace: the mount's root is the container's cgroup. */
    static final String V1_PATH = "/docker/4f3c";
    static final String V1_CGROUP = """
            12:memory:/docker/4f3c
            11:cpu,cpuacct:/docker/4f3c
            1:name=systemd:/docker/4f3c
            """;
    static final String V1_MOUNTINFO = """
            500 400 0:50 / / rw,relatime - overlay overlay rw,lowerdir=/x
            510 500 0:60 / /sys/fs/cgroup ro,nosuid,nodev,noexec,relatime - tmpfs tmpfs ro,mode=755
            511 510 0:31 /docker/4f3c /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime master:15 - cgroup cgroup rw,memory
            512 510 0:28 /docker/4f3c /sys/fs/cgroup/cpu,cpuacct ro,nosuid,nodev,noexec,relatime master:12 - cgroup cgroup rw,cpu,cpuacct
            """;

    /**
     * Pure v2 under systemd, Sentinel (selfPid) alone in a delegated scope (user.delegate=1) whose
     * cgroup.controllers are {@code controllers}.
     */
    static FakeKernel pureV2(Path tmp, long selfPid, String controllers) {
        FakeKernel k = new FakeKernel(tmp, tmp.resolve("sys/fs/cgroup"), null, controllers, true);
        k.proc("0::" + V2_PATH + "\n", V2_MOUNTINFO, selfPid);
        k.hierarchyRoot(k.v2Mount);
        k.mkdirUnchecked(k.v2Mount.resolve("init.scope"));
        try {
            Files.createDirectories(tmp.resolve("run/systemd/system"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dir = k.v2Mount;
        for (String part : V2_PATH.substring(1).split("/")) {
            k.enable(dir, controllers);
            dir = dir.resolve(part);
            k.mkdirUnchecked(dir);
        }
        k.addProcess(dir, selfPid);
        k.setXattr(dir, "user.delegate", "1");
        return k;
    }

    /** This machine's shape: v1 memory plus a cgroup2 with no controllers, Sentinel in both. */
    static FakeKernel hybrid(Path tmp, long selfPid) {
        FakeKernel k = new FakeKernel(tmp, tmp.resolve("sys/fs/cgroup/unified"), tmp.resolve("sys/fs/cgroup/memory"), "", true);
        k.proc(HYBRID_CGROUP, HYBRID_MOUNTINFO, selfPid);
        k.hierarchyRoot(k.v2Mount);
        k.hierarchyRoot(k.v1Mount);
        Path v1 = k.v1Mount.resolve("process_api");
        k.mkdirUnchecked(v1);
        v1 = v1.resolve("2eccbc9d7caff6ccc2ea4b4994436cdf");
        k.mkdirUnchecked(v1);
        k.addProcess(k.v2Mount, selfPid);
        k.addProcess(v1, selfPid);
        return k;
    }

    /** A v1 host without any cgroup2 mount (old Docker), with or without swap accounting. */
    static FakeKernel v1Only(Path tmp, long selfPid, boolean memsw) {
        FakeKernel k = new FakeKernel(tmp, null, tmp.resolve("sys/fs/cgroup/memory"), "", memsw);
        k.proc(V1_CGROUP, V1_MOUNTINFO, selfPid);
        k.hierarchyRoot(k.v1Mount);
        k.addProcess(k.v1Mount, selfPid);
        return k;
    }

    /** No cgroup file system at all. */
    static FakeKernel none(Path tmp, long selfPid) {
        FakeKernel k = new FakeKernel(tmp, null, null, "", false);
        k.proc("", "24 1 8:2 / / rw,relatime - ext4 /dev/sda2 rw\n", selfPid);
        return k;
    }

    /** No systemd on this host: neither /sys/fs/cgroup/init.scope nor /run/systemd/system. */
    void noSystemd() {
        try {
            Path init = v2Mount.resolve("init.scope");
            if (Files.isDirectory(init)) {
                rmdir(init);
            }
            Files.deleteIfExists(root.resolve("run/systemd/system"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void setXattr(Path path, String name, String value) {
        xattrs.computeIfAbsent(path, p -> new HashMap<>()).put(name, value);
    }

    void removeXattrs(Path path) {
        xattrs.remove(path);
    }

    Path procSelf() {
        return root.resolve("proc/self");
    }

    Detector detector(long selfPid) {
        return new Detector(procSelf(), root, selfPid, this);
    }

    /** A process that exists as far as the stale cleanup can tell. */
    void alive(long pid) {
        try {
            Files.createDirectories(root.resolve("proc").resolve(Long.toString(pid)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void addProcess(Path cgroup, long pid) {
        try {
            move(cgroup.resolve("cgroup.procs"), pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sets a file's content as the kernel would report it, without logging. */
    void set(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String rel(Path p) {
        return root.relativize(p).toString();
    }

    /** The writes logged so far for files of this name, as "value". */
    List<String> writesTo(String fileName) {
        return writes.stream().filter(w -> w.split(" ")[0].endsWith("/" + fileName))
                .map(w -> w.substring(w.indexOf(' ') + 1)).collect(Collectors.toList());
    }

    // ---- the kernel's side -------------------------------------------------------------------

    @Override
    public void mkdir(Path dir) throws IOException {
        refuseIfReadOnly(dir.getParent());
        Files.createDirectory(dir);
        populate(dir);
    }

    @Override
    public void rmdir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString());
        }
        refuseIfReadOnly(dir.getParent());
        try (Stream<Path> children = Files.list(dir)) {
            if (children.anyMatch(Files::isDirectory) || !read(dir.resolve("cgroup.procs")).isEmpty()) {
                throw new FileSystemException(dir.toString(), null, "Device or resource busy");
            }
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path f : children.collect(Collectors.toList())) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }

    @Override
    public void write(Path file, String value) throws IOException {
        writes.add(rel(file) + " " + value);
        String fail = failing.get(file);
        if (fail != null) {
            throw new FileSystemException(file.toString(), null, fail);
        }
        refuseIfReadOnly(file);
        refuseIfReadOnly(file.getParent());
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString()); // the kernel never creates a file
        }
        Path dir = file.getParent();
        String name = file.getFileName().toString();
        boolean v2 = v2Mount != null && dir.startsWith(v2Mount);
        switch (name) {
            case "cgroup.procs" -> move(file, Long.parseLong(value.trim()));
            case "cgroup.subtree_control" -> subtreeControl(dir, value.trim());
            case "cgroup.kill" -> {
                try (Stream<Path> all = Files.walk(dir)) {
                    for (Path p : all.filter(p -> p.getFileName().toString().equals("cgroup.procs")).collect(Collectors.toList())) {
                        Files.writeString(p, "");
                    }
                }
                refreshPopulated();
            }
            case "memory.max", "memory.high", "memory.swap.max", "memory.low", "memory.min" ->
                    Files.writeString(file, pages(value, "max", "max") + "\n");
            case "memory.limit_in_bytes", "memory.memsw.limit_in_bytes" -> v1Limit(dir, name, value);
            default -> {
                if (v2 && name.startsWith("memory.") && !Files.exists(dir.resolve("memory.current"))) {
                    throw new NoSuchFileException(file.toString());
                }
                Files.writeString(file, value.trim() + "\n");
            }
        }
    }

    @Override
    public String xattr(Path path, String name) {
        return xattrs.getOrDefault(path, Map.of()).get(name);
    }

    private void v1Limit(Path dir, String name, String value) throws IOException {
        String rounded = pages(value, "-1", V1_MAX);
        long v = Long.parseLong(rounded);
        Path other = dir.resolve(name.equals("memory.limit_in_bytes") ? "memory.memsw.limit_in_bytes" : "memory.limit_in_bytes");
        if (Files.exists(other)) {
            long o = Long.parseLong(read(other));
            boolean ok = name.equals("memory.limit_in_bytes") ? v <= o : v >= o;
            if (!ok) {
                throw new FileSystemException(dir.resolve(name).toString(), null, "Invalid argument");
            }
        }
        Files.writeString(dir.resolve(name), rounded + "\n");
    }

    /** Round down to pages as page_counter_memparse does; the unlimited word maps to how it reads back. */
    private static String pages(String value, String unlimitedIn, String unlimitedOut) {
        String t = value.trim();
        if (t.equals(unlimitedIn)) {
            return unlimitedOut;
        }
        return Long.toString(Long.parseLong(t) / PAGE * PAGE);
    }

    private void subtreeControl(Path dir, String value) throws IOException {
        Set<String> now = words(read(dir.resolve("cgroup.subtree_control")));
        for (String token : value.split("\\s+")) {
            String c = token.substring(1);
            if (token.startsWith("+")) {
                if (!words(read(dir.resolve("cgroup.controllers"))).contains(c)) {
                    throw new FileSystemException(dir.resolve("cgroup.subtree_control").toString(), null, "No such file or directory");
                }
                if (!dir.equals(v2Mount) && !read(dir.resolve("cgroup.procs")).isEmpty()) {
                    throw new FileSystemException(dir.resolve("cgroup.subtree_control").toString(), null, "Device or resource busy");
                }
                now.add(c);
            } else {
                now.remove(c);
            }
        }
        Files.writeString(dir.resolve("cgroup.subtree_control"), String.join(" ", now) + "\n");
    }

    /** A pid is in one cgroup per hierarchy: writing it somewhere takes it out of everywhere else. */
    private void move(Path procsFile, long pid) throws IOException {
        Path mount = v2Mount != null && procsFile.startsWith(v2Mount) ? v2Mount : v1Mount;
        Path dir = procsFile.getParent();
        if (mount.equals(v2Mount) && !dir.equals(v2Mount)
                && !read(dir.resolve("cgroup.subtree_control")).isEmpty()) {
            throw new FileSystemException(procsFile.toString(), null, "Device or resource busy");
        }
        try (Stream<Path> all = Files.walk(mount)) {
            for (Path p : all.filter(p -> p.getFileName().toString().equals("cgroup.procs")).collect(Collectors.toList())) {
                List<String> pids = new ArrayList<>(Files.readAllLines(p));
                pids.remove(Long.toString(pid));
                if (p.equals(procsFile)) {
                    pids.add(Long.toString(pid));
                }
                Files.writeString(p, pids.isEmpty() ? "" : String.join("\n", pids) + "\n");
            }
        }
        refreshPopulated();
    }

    private void refreshPopulated() throws IOException {
        if (v2Mount == null) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> all = Files.walk(v2Mount)) {
            dirs = all.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).collect(Collectors.toList());
        }
        for (Path d : dirs) {
            Path events = d.resolve("cgroup.events");
            if (!Files.exists(events)) {
                continue;
            }
            boolean populated;
            try (Stream<Path> all = Files.walk(d)) {
                populated = all.filter(p -> p.getFileName().toString().equals("cgroup.procs"))
                        .anyMatch(p -> !read(p).isEmpty());
            }
            Files.writeString(events, "populated " + (populated ? 1 : 0) + "\nfrozen 0\n");
        }
    }

    private void refuseIfReadOnly(Path p) throws AccessDeniedException {
        if (p != null && readOnly.contains(p)) {
            throw new AccessDeniedException(p.toString());
        }
    }

    private void proc(String cgroup, String mountinfo, long selfPid) {
        try {
            Files.createDirectories(procSelf());
            Files.writeString(procSelf().resolve("cgroup"), cgroup);
            Files.writeString(procSelf().resolve("mountinfo"), mountinfo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        alive(selfPid);
    }

    private void hierarchyRoot(Path mount) {
        try {
            Files.createDirectories(mount);
            if (mount.equals(v2Mount)) {
                // The root cgroup has neither cgroup.events nor cgroup.kill, as on the kernel.
                Files.writeString(mount.resolve("cgroup.controllers"), v2RootControllers + "\n");
                Files.writeString(mount.resolve("cgroup.subtree_control"), "\n");
                Files.writeString(mount.resolve("cgroup.procs"), "");
                Files.writeString(mount.resolve("cpu.stat"), "usage_usec 13440096000\nuser_usec 9733360000\nsystem_usec 3706736000\n");
            } else {
                v1Files(mount);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void enable(Path dir, String controllers) {
        set(dir.resolve("cgroup.subtree_control"), controllers + "\n");
    }

    private void mkdirUnchecked(Path dir) {
        try {
            mkdir(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void populate(Path dir) throws IOException {
        if (v2Mount != null && dir.startsWith(v2Mount)) {
            String controllers = read(dir.getParent().resolve("cgroup.subtree_control"));
            Files.writeString(dir.resolve("cgroup.controllers"), controllers + "\n");
            Files.writeString(dir.resolve("cgroup.subtree_control"), "\n");
            Files.writeString(dir.resolve("cgroup.procs"), "");
            Files.writeString(dir.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
            Files.writeString(dir.resolve("cgroup.kill"), "");
            Files.writeString(dir.resolve("cgroup.freeze"), "0\n");
            Files.writeString(dir.resolve("cgroup.type"), "domain\n");
            Files.writeString(dir.resolve("cpu.stat"), "usage_usec 0\nuser_usec 0\nsystem_usec 0\nnice_usec 0\n");
            Files.writeString(dir.resolve("memory.pressure"), "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
                    + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
            if (words(controllers).contains("memory")) {
                Files.writeString(dir.resolve("memory.current"), "0\n");
                Files.writeString(dir.resolve("memory.max"), "max\n");
                Files.writeString(dir.resolve("memory.high"), "max\n");
                Files.writeString(dir.resolve("memory.low"), "0\n");
                Files.writeString(dir.resolve("memory.min"), "0\n");
                Files.writeString(dir.resolve("memory.swap.max"), "max\n");
                Files.writeString(dir.resolve("memory.swap.current"), "0\n");
                Files.writeString(dir.resolve("memory.oom.group"), "0\n");
                Files.writeString(dir.resolve("memory.events"),
                        "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
                Files.writeString(dir.resolve("memory.stat"), "anon 0\nfile 0\n");
            }
        } else {
            v1Files(dir);
        }
    }

    private void v1Files(Path dir) throws IOException {
        Files.writeString(dir.resolve("cgroup.procs"), "");
        Files.writeString(dir.resolve("tasks"), "");
        Files.writeString(dir.resolve("cgroup.event_control"), "");
        Files.writeString(dir.resolve("notify_on_release"), "0\n");
        Files.writeString(dir.resolve("memory.limit_in_bytes"), V1_MAX + "\n");
        if (memsw) {
            Files.writeString(dir.resolve("memory.memsw.limit_in_bytes"), V1_MAX + "\n");
        }
        Files.writeString(dir.resolve("memory.usage_in_bytes"), "0\n");
        Files.writeString(dir.resolve("memory.soft_limit_in_bytes"), V1_MAX + "\n");
        Files.writeString(dir.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
        Files.writeString(dir.resolve("memory.use_hierarchy"), "1\n");
        Files.writeString(dir.resolve("memory.pressure_level"), "");
    }

    private static Set<String> words(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String w : list.trim().split("\\s+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }
}
