package dev.sentinel.platform.cgroup;

import java.util.Locale;

/** {@code --cgroup auto|require|off}: whether Sentinel contains its programs in cgroups. */
public enum CgroupMode {
    /** A cgroup where one can be had, otherwise /proc only. */
    AUTO,
    /** A cgroup or a start-up error: for hosts where escaping the tree is not acceptable. */
    REQUIRE,
    /** /proc only, without touching the cgroup file system. */
    OFF;

    /** The word users write: {@code auto}, {@code require}, {@code off}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** From the word users write (any case); IllegalArgumentException with one sentence otherwise. */
    public static CgroupMode parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        for (CgroupMode m : values()) {
            if (m.label().equals(t)) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a cgroup mode; use auto, require or off.");
    }
}
