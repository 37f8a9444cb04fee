package dev.sentinel.platform.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where this process's own cgroups are, from {@code /proc/self/cgroup} and
 * {@code /proc/self/mountinfo} (the way jdk.internal.platform.CgroupSubsystemFactory reads
 * them). Each base is null with a sentence saying why when there is none.
 *
 * @param v2Base     this process's cgroup2 directory
 * @param v2Why      why there is no v2Base
 * @param v1Base     this process's v1 memory cgroup directory
 * @param v1Why      why there is no v1Base
 * @param v2Path     this process's cgroup2 path as {@code /proc/self/cgroup} gives it ({@code /}
 *                   at the root of its cgroup namespace), null without a 0:: line
 */
record CgroupPaths(Path v2Base, String v2Why, Path v1Base, String v1Why, String v2Path) {

    /** One line of mountinfo, the fields used here. */
    record Mount(String root, String mountPoint, String fsType, String superOptions) {

        boolean isV2() {
            return fsType.equals("cgroup2");
        }

        boolean isV1Memory() {
            return fsType.equals("cgroup") && hasOption(superOptions, "memory");
        }
    }

    /** Reads both files; an unreadable one is an IOException for the caller to word. */
    static CgroupPaths read(Path procSelf, Path fsRoot) throws IOException {
        List<String> cgroup = Files.readAllLines(procSelf.resolve("cgroup"));
        List<String> mountinfo = Files.readAllLines(procSelf.resolve("mountinfo"));
        return of(cgroup, mountinfo, fsRoot);
    }

    static CgroupPaths of(List<String> cgroupLines, List<String> mountinfoLines, Path fsRoot) {
        String v2Path = null;
        String v1Path = null;
        for (String line : cgroupLines) {
            // hierarchy-ID:controller-list:cgroup-path; the path itself may hold ':'.
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                v2Path = f[2];
            } else if (hasOption(f[1], "memory")) {
                v1Path = f[2];
            }
        }
        List<Mount> mounts = mounts(mountinfoLines);
        Mount v2Mount = pick(mounts, true, v2Path);
        Mount v1Mount = pick(mounts, false, v1Path);

        Path v2 = null;
        String v2Why = null;
        if (v2Mount == null) {
            v2Why = "no cgroup2 file system is mounted";
        } else if (v2Path == null) {
            v2Why = "/proc/self/cgroup has no 0:: line";
        } else if ((v2 = dir(fsRoot, v2Mount, v2Path)) == null) {
            v2Why = "this process's cgroup " + v2Path + " is outside the cgroup2 mount at " + v2Mount.mountPoint();
        }
        Path v1 = null;
        String v1Why = null;
        if (v1Mount == null) {
            v1Why = "no cgroup v1 memory controller is mounted";
        } else if (v1Path == null) {
            v1Why = "/proc/self/cgroup has no memory line";
        } else if ((v1 = dir(fsRoot, v1Mount, v1Path)) == null) {
            v1Why = "this process's memory cgroup " + v1Path + " is outside the v1 mount at " + v1Mount.mountPoint();
        }
        return new CgroupPaths(v2, v2Why, v1, v1Why, v2Path);
    }

    static List<Mount> mounts(List<String> lines) {
        List<Mount> out = new ArrayList<>();
        for (String line : lines) {
            // id parent major:minor root mount-point options [optional fields...] - fstype source super-options
            String[] f = line.split(" ");
            int dash = -1;
            for (int i = 6; i < f.length; i++) {
                if (f[i].equals("-")) {
                    dash = i;
                    break;
                }
            }
            if (dash < 0 || dash + 1 >= f.length) {
                continue;
            }
            String superOptions = dash + 3 < f.length ? f[dash + 3] : "";
            out.add(new Mount(unescape(f[3]), unescape(f[4]), f[dash + 1], superOptions));
        }
        return out;
    }

    /** The first mount of the kind that holds the path, else the first of the kind. */
    private static Mount pick(List<Mount> mounts, boolean v2, String path) {
        Mount first = null;
        for (Mount m : mounts) {
            if (v2 ? !m.isV2() : !m.isV1Memory()) {
                continue;
            }
            if (first == null) {
                first = m;
            }
            if (path != null && relative(m.root(), path) != null) {
                return m;
            }
        }
        return first;
    }

    /** The directory of a cgroup path under the mount, or null if the mount does not show it. */
    private static Path dir(Path fsRoot, Mount m, String path) {
        String rel = relative(m.root(), path);
        if (rel == null) {
            return null;
        }
        Path mountDir = fsRoot.resolve(m.mountPoint().substring(1));
        return rel.isEmpty() ? mountDir : mountDir.resolve(rel);
    }

    /**
     * The cgroup path relative to the mount's root: a container without a cgroup namespace
     * mounts its own cgroup ({@code /docker/ID}) as the root of the file system it sees.
     */
    private static String relative(String mountRoot, String path) {
        String root = strip(mountRoot);
        String p = strip(path);
        if (root.isEmpty()) {
            return p;
        }
        if (p.equals(root)) {
            return "";
        }
        if (p.startsWith(root + "/")) {
            return p.substring(root.length() + 1);
        }
        return null;
    }

    private static String strip(String path) {
        String p = path;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static boolean hasOption(String commaList, String option) {
        for (String o : commaList.split(",")) {
            if (o.equals(option)) {
                return true;
            }
        }
        return false;
    }

    /** mountinfo escapes space, tab, newline and backslash as three octal digits. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                sb.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
