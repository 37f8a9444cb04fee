package dev.sentinel.platform;

/**
 * The fields of {@code /proc/PID/stat} that Sentinel uses. Parsed from raw bytes without
 * building strings for the numbers, because it runs for every process on every tick.
 *
 * @param rssPages resident set size in pages (same value as the second field of statm)
 * @param cpuTicks user plus system time in clock ticks (USER_HZ, 100 on Linux)
 * @param startTicks start time in clock ticks since boot; with the pid it identifies a process
 */
public record ProcStat(long pid, String name, char state, long ppid, long pgid, long session,
                       long cpuTicks, int threads, long startTicks, long rssPages) {

    /** A zombie or dead process holds no memory and can no longer be signalled usefully. */
    public boolean isDead() {
        return state == 'Z' || state == 'X' || state == 'x';
    }

    /**
     * Parses the content of a stat file.
     *
     * @return the fields, or null if the content is not a stat line
     */
    public static ProcStat parse(byte[] buf, int len) {
        int open = indexOf(buf, len, (byte) '(');
        int close = lastIndexOf(buf, len, (byte) ')');
        if (open < 0 || close < open || close + 2 >= len) {
            return null;
        }
        long pid = parseLong(buf, 0, open - 1);
        String name = new String(buf, open + 1, close - open - 1, java.nio.charset.StandardCharsets.UTF_8);
        int pos = close + 2;
        char state = (char) buf[pos];
        // Fields after the state, counted from 0: ppid, pgrp, session, tty, tpgid, flags, minflt,
        // cminflt, majflt, cmajflt, utime(10), stime(11), cutime, cstime, priority, nice,
        // num_threads(16), itrealvalue, starttime(18), vsize, rss(20).
        long[] f = new long[21];
        int field = -1;
        int i = pos + 1;
        while (i < len && field < 20) {
            while (i < len && buf[i] == ' ') {
                i++;
            }
            int start = i;
            while (i < len && buf[i] != ' ' && buf[i] != '\n') {
                i++;
            }
            field++;
            f[field] = parseLong(buf, start, i);
        }
        if (field < 20) {
            return null;
        }
        return new ProcStat(pid, name, state, f[0], f[1], f[2], f[10] + f[11], (int) f[16], f[18], f[20]);
    }

    private static long parseLong(byte[] buf, int from, int to) {
        long v = 0;
        boolean neg = false;
        for (int i = from; i < to; i++) {
            byte b = buf[i];
            if (b == '-') {
                neg = true;
            } else if (b >= '0' && b <= '9') {
                v = v * 10 + (b - '0');
            }
        }
        return neg ? -v : v;
    }

    private static int indexOf(byte[] buf, int len, byte b) {
        for (int i = 0; i < len; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] buf, int len, byte b) {
        for (int i = len - 1; i >= 0; i--) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
