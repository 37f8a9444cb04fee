package dev.sentinel.settings;

import dev.sentinel.text.ByteSize;
import java.util.Locale;

/**
 * The hard limit the kernel enforces on a program's cgroup, a little above Sentinel's own, so a
 * leak is bounded even while Sentinel is stopped, starved or in the middle of a grace period.
 *
 * @param mode auto (Sentinel's limit plus a margin), a fixed size, or off
 * @param bytes the fixed size (FIXED only)
 * @param allowSwap false (the default) sets the cgroup's swap to 0: a tree that swaps shrinks its
 *                  RSS and evades an RSS limit
 */
public record KernelLimit(Mode mode, long bytes, boolean allowSwap) {

    public enum Mode { AUTO, FIXED, OFF }

    /** What {@code auto} adds at least: below this, a limit's own page-cache and fuzz would trip the kernel first. */
    static final long MIN_MARGIN = 16L << 20;

    public static final KernelLimit AUTO = new KernelLimit(Mode.AUTO, 0, false);
    public static final KernelLimit OFF = new KernelLimit(Mode.OFF, 0, false);

    public KernelLimit {
        if (mode == Mode.FIXED && bytes <= 0) {
            throw new IllegalArgumentException("a fixed kernel limit needs a size");
        }
    }

    /**
     * The backstop for a tree limited to {@code limit}: {@code auto} is the limit plus 10 %, at
     * least 16 MiB more; -1 for none (off, or auto without a limit of Sentinel's).
     */
    public long backstopBytes(MemoryLimit limit) {
        return backstopBytes(limit, false);
    }

    /**
     * As {@link #backstopBytes(MemoryLimit)}; with {@code tolerating} (the program may stay over
     * its limit for a while) {@code auto} sets none: the kernel cannot tolerate, and would kill
     * the very spike the tolerance lets through. A size given still applies.
     */
    public long backstopBytes(MemoryLimit limit, boolean tolerating) {
        return switch (mode) {
            case OFF -> -1;
            case FIXED -> bytes;
            case AUTO -> limit.isSet() && !tolerating
                    ? Math.max(limit.bytes() + limit.bytes() / 10, limit.bytes() + MIN_MARGIN) : -1;
        };
    }

    public KernelLimit withAllowSwap(boolean allow) {
        return new KernelLimit(mode, bytes, allow);
    }

    /** Parses {@code auto}, {@code off} (or {@code none}) or a size. */
    public static KernelLimit parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("auto")) {
            return AUTO;
        }
        if (t.matches("off|none")) {
            return OFF;
        }
        try {
            long b = ByteSize.parse(text);
            if (b > 0) {
                return new KernelLimit(Mode.FIXED, b, false);
            }
        } catch (IllegalArgumentException e) {
            // Said below, with what is accepted.
        }
        throw new IllegalArgumentException("'" + text + "' is not a kernel limit; use auto (the limit plus 10 %, "
                + "at least 16 MiB more), off, or " + ByteSize.ACCEPTED + ".");
    }

    @Override
    public String toString() {
        return switch (mode) {
            case AUTO -> "auto";
            case OFF -> "off";
            case FIXED -> ByteSize.format(bytes);
        };
    }
}
