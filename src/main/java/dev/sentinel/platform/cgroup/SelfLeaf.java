package dev.sentinel.platform.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The leaf Sentinel moved itself (and any other process of its base) into on pure v2, so that
 * controllers could be given to its programs' cgroups. Undone when Sentinel exits, and by the
 * lifeline shell if Sentinel dies.
 *
 * @param base    the cgroup Sentinel was started in
 * @param leaf    {@code base/sentinel-PID-self}
 * @param enabled the controllers Sentinel turned on in base's subtree_control, turned off again
 *                before its processes move back (a non-root cgroup with controllers for its
 *                children cannot hold processes); none at the root of the hierarchy, where that
 *                rule does not hold and other cgroups may have come to rely on them
 */
public record SelfLeaf(Path base, Path leaf, List<String> enabled) {

    public SelfLeaf {
        enabled = List.copyOf(enabled);
    }

    /** What undoes {@link #enabled} in one write: {@code -memory -pids}; empty for nothing. */
    public String undo() {
        StringBuilder sb = new StringBuilder();
        for (String c : enabled) {
            sb.append(sb.length() == 0 ? "" : " ").append('-').append(c);
        }
        return sb.toString();
    }

    /**
     * Turns off what Sentinel enabled, moves the leaf's processes (Sentinel, its lifeline shell)
     * back to base and removes the leaf. Null when the leaf is gone, else why it stays.
     */
    String close(CgroupFiles files) {
        if (!undo().isEmpty()) {
            try {
                files.write(base.resolve("cgroup.subtree_control"), undo());
            } catch (IOException e) {
                // another Sentinel's cgroups still use them: the move back fails and says so
            }
        }
        long[] pids;
        try {
            pids = new ReadBuffer().read(leaf.resolve("cgroup.procs")).pids();
        } catch (IOException e) {
            return null; // gone already
        }
        for (long pid : pids) {
            if (pid <= 0) {
                continue;
            }
            try {
                files.write(base.resolve("cgroup.procs"), Long.toString(pid));
            } catch (IOException e) {
                return "cannot move process " + pid + " back to " + base + " (" + CgroupText.reason(e) + ")";
            }
        }
        try {
            files.rmdir(leaf);
            return null;
        } catch (IOException e) {
            return "cannot remove " + leaf + " (" + CgroupText.reason(e) + ")";
        }
    }
}
