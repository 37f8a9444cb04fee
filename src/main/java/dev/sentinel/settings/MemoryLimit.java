package dev.sentinel.settings;

import dev.sentinel.text.ByteSize;
import java.util.Locale;

/**
 * The tree's memory limit in bytes, or none (monitor only), or a share of the memory Sentinel
 * itself may use: {@code 80%} of its container's limit (of the host's memory where there is
 * none), so that a manifest states the container's number once.
 *
 * <p>A percentage is resolved once Sentinel knows that reference ({@link #resolve}); until then
 * it has no bytes and limits nothing. Two percentages are equal when their shares are: the
 * reference does not change while Sentinel runs, so a reload that keeps {@code 80%} keeps the
 * limit.
 *
 * @param bytes     the limit, 0 for none (and for a percentage not yet resolved)
 * @param percent   the share for a relative limit, above 0 and at most 100; 0 for a size
 * @param reference what the share was taken of (and what a later percentage would be), 0 if unknown
 */
public record MemoryLimit(long bytes, double percent, long reference) {

    public static final MemoryLimit NONE = new MemoryLimit(0);

    public MemoryLimit {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        if (percent < 0 || percent > 100 || Double.isNaN(percent)) {
            throw new IllegalArgumentException("a share of memory is above 0 and at most 100 %");
        }
    }

    public MemoryLimit(long bytes) {
        this(bytes, 0, 0);
    }

    /** {@code percent} of the reference, not yet resolved. */
    public static MemoryLimit relative(double percent) {
        return new MemoryLimit(0, percent, 0);
    }

    public boolean isSet() {
        return bytes > 0;
    }

    /** A share of the reference ({@code 80%}) rather than a size. */
    public boolean isRelative() {
        return percent > 0;
    }

    public boolean isExceededBy(long rssBytes) {
        return isSet() && rssBytes > bytes;
    }

    /**
     * With the reference known: a percentage gets its bytes (rounded down to a page, at least
     * one), a size keeps them; both remember the reference for a later percentage (an order).
     */
    public MemoryLimit resolve(long referenceBytes) {
        if (referenceBytes <= 0) {
            return this;
        }
        if (!isRelative()) {
            return new MemoryLimit(bytes, 0, referenceBytes);
        }
        long b = (long) (referenceBytes * (percent / 100.0)) / 4096 * 4096;
        return new MemoryLimit(Math.max(4096, b), percent, referenceBytes);
    }

    /** Parses a size, a percentage ({@code 80%}) or {@code none}. */
    public static MemoryLimit parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.matches("none|off|unlimited")) {
            return NONE;
        }
        if (t.endsWith("%")) {
            double p;
            try {
                p = Double.parseDouble(t.substring(0, t.length() - 1).trim());
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (!(p > 0 && p <= 100)) {
                throw new IllegalArgumentException("'" + text + "' is not a memory limit: a percentage is a share of "
                        + "the container's memory limit (of the host's memory without one), above 0 and at most 100.");
            }
            return relative(p);
        }
        try {
            return new MemoryLimit(ByteSize.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a memory limit; use "
                    + ByteSize.ACCEPTED + ", a percentage like 80%, or none.");
        }
    }

    /** {@code 80%}, without the bytes it comes to. */
    public String share() {
        String p = percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent);
        return p + "%";
    }

    /** For the started line: the size, and for a percentage what it is a share of. */
    public String describe() {
        if (isRelative() && isSet()) {
            return ByteSize.format(bytes) + " (" + share() + " of " + ByteSize.format(reference) + ")";
        }
        return toString();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MemoryLimit other) || isRelative() != other.isRelative()) {
            return false;
        }
        return isRelative() ? percent == other.percent : bytes == other.bytes;
    }

    @Override
    public int hashCode() {
        return isRelative() ? Double.hashCode(percent) : Long.hashCode(bytes);
    }

    @Override
    public String toString() {
        if (isRelative() && !isSet()) {
            return share();
        }
        return isSet() ? ByteSize.format(bytes) : "none";
    }
}
