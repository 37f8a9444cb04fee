package dev.sentinel.platform.cgroup;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Parsing of cgroup files straight from their bytes, without a String per line: some of them are
 * read several times a second for every program.
 */
final class CgroupText {

    /** Values at or above this mean "unlimited" on v1 ({@code PAGE_COUNTER_MAX} pages, as the JDK reads it). */
    static final long V1_UNLIMITED_MIN = 0x7FFFFFFFFF000000L;

    private CgroupText() {
    }

    /**
     * The number after {@code key } on its own line of a flat keyed file ({@code memory.events},
     * {@code cpu.stat}, {@code cgroup.events}, {@code memory.oom_control}), or {@code missing}:
     * keys are looked up by name because their order and number change between kernels.
     */
    static long keyed(byte[] b, int len, String key, long missing) {
        int k = key.length();
        int i = 0;
        while (i < len) {
            if (i + k < len && b[i + k] == ' ' && startsWith(b, i, key)) {
                return digits(b, i + k + 1, len);
            }
            while (i < len && b[i] != '\n') {
                i++;
            }
            i++;
        }
        return missing;
    }

    /**
     * A single value file: {@code max} (v2) and v1's page-counter maximum are -1, meaning unlimited.
     */
    static long value(byte[] b, int len) {
        int i = 0;
        while (i < len && b[i] == ' ') {
            i++;
        }
        if (i + 3 <= len && b[i] == 'm' && b[i + 1] == 'a' && b[i + 2] == 'x') {
            return -1;
        }
        if (i < len && b[i] == '-') {
            return -1; // v1 shows -1 nowhere, but accepts it; be lenient with a fake
        }
        long v = digits(b, i, len);
        return v >= V1_UNLIMITED_MIN ? -1 : v;
    }

    /** Whether a space-separated list such as {@code cgroup.controllers} has {@code word}. */
    static boolean hasWord(String list, String word) {
        for (String w : list.trim().split("\\s+")) {
            if (w.equals(word)) {
                return true;
            }
        }
        return false;
    }

    /** The reason of an I/O failure in a few words, as strerror(3) gives it. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException || e instanceof FileNotFoundException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Bytes for the started line: {@code 64 MiB}, {@code 1.5 GiB}. */
    static String size(long bytes) {
        if (bytes < 0) {
            return "unlimited";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        long tenths = Math.round(v * 10);
        return (tenths % 10 == 0 ? Long.toString(tenths / 10) : tenths / 10 + "." + tenths % 10) + " " + units[u];
    }

    private static boolean startsWith(byte[] b, int at, String key) {
        for (int j = 0; j < key.length(); j++) {
            if (b[at + j] != key.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private static long digits(byte[] b, int from, int len) {
        long v = 0;
        int i = from;
        while (i < len && b[i] >= '0' && b[i] <= '9') {
            v = v * 10 + (b[i] - '0');
            i++;
        }
        if (i == from) {
            throw new NumberFormatException("no number");
        }
        return v;
    }
}
