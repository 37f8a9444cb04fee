package dev.sentinel.settings;

import dev.sentinel.text.ByteSize;
import java.util.Locale;

/** The tree's memory limit in bytes, or none (monitor only). */
public record MemoryLimit(long bytes) {

    public static final MemoryLimit NONE = new MemoryLimit(0);

    public MemoryLimit {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative limit");
        }
    }

    public boolean isSet() {
        return bytes > 0;
    }

    public boolean isExceededBy(long rssBytes) {
        return isSet() && rssBytes > bytes;
    }

    /** Parses a size or {@code none}. */
    public static MemoryLimit parse(String text) {
        if (text != null && text.trim().toLowerCase(Locale.ROOT).matches("none|off|unlimited")) {
            return NONE;
        }
        try {
            return new MemoryLimit(ByteSize.parse(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a memory limit; use "
                    + ByteSize.ACCEPTED + ", or none.");
        }
    }

    @Override
    public String toString() {
        return isSet() ? ByteSize.format(bytes) : "none";
    }
}
