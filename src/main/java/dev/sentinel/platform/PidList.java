package dev.sentinel.platform;

import java.util.Arrays;

/** The pid lists the kernel writes: {@code cgroup.procs} (one per line) and a task's {@code children} (space after each). */
public final class PidList {

    public static final long[] NONE = new long[0];

    private PidList() {
    }

    /**
     * The pids in the first {@code len} bytes of {@code b}, in order.
     *
     * @throws NumberFormatException on anything but digits and white space
     */
    public static long[] parse(byte[] b, int len) {
        long[] out = new long[8];
        int n = 0;
        long v = 0;
        boolean any = false;
        for (int i = 0; i <= len; i++) {
            byte c = i < len ? b[i] : (byte) '\n';
            if (c >= '0' && c <= '9') {
                v = v * 10 + (c - '0');
                any = true;
            } else if (c == '\n' || c == ' ' || c == '\r' || c == '\t') {
                if (any) {
                    if (n == out.length) {
                        out = Arrays.copyOf(out, n * 2);
                    }
                    out[n++] = v;
                }
                v = 0;
                any = false;
            } else {
                throw new NumberFormatException("not a pid list");
            }
        }
        return n == 0 ? NONE : Arrays.copyOf(out, n);
    }
}
