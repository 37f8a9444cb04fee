package dev.sentinel.settings;

import java.util.Locale;

/**
 * What a program's memory limit is compared with: the tree's resident memory ({@code rss}, every
 * page each process maps counted in full), its proportional share ({@code pss}, a page shared by
 * N processes counted 1/N to each, from {@code smaps_rollup}), or its cgroup's working set
 * ({@code cgroup}: usage less inactive file cache, as the kubelet counts it for evictions).
 */
public enum Measure {
    RSS, PSS, CGROUP;

    public static final String ACCEPTED = "\"rss\", \"pss\" or \"cgroup\"";

    public static Measure parse(String word) {
        for (Measure m : values()) {
            if (m.word().equals(word.trim().toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("'" + word + "' is not a memory measure; use " + ACCEPTED + ".");
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What is measured, after "limit 400 MiB of": {@code RSS}, {@code PSS}, {@code cgroup working set}. */
    public String amount() {
        return switch (this) {
            case RSS -> "RSS";
            case PSS -> "PSS";
            case CGROUP -> "cgroup working set";
        };
    }

    /** How the tree's amount is named in lines: {@code tree RSS}, {@code tree PSS}, {@code cgroup working set}. */
    public String noun() {
        return switch (this) {
            case RSS -> "tree RSS";
            case PSS -> "tree PSS";
            case CGROUP -> "cgroup working set";
        };
    }
}
