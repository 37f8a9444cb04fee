package dev.sentinel.platform;

/**
 * Parses {@code /proc/PID/smaps_rollup} straight from its bytes. The file sums every mapping of
 * the process; its {@code Pss:} line counts each resident page divided by the number of processes
 * that map it, so the PSS of all processes together is the memory they use, shared pages once.
 */
public final class SmapsRollup {

    private static final byte[] PSS = "Pss:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private SmapsRollup() {
    }

    /** The {@code Pss:} line in bytes (the file says kB), or -1 where there is none. */
    public static long pssBytes(byte[] b, int len) {
        int i = 0;
        while (i < len) {
            if (startsWith(b, i, len)) {
                int j = i + PSS.length;
                while (j < len && b[j] == ' ') {
                    j++;
                }
                long kb = 0;
                int from = j;
                while (j < len && b[j] >= '0' && b[j] <= '9') {
                    kb = kb * 10 + (b[j] - '0');
                    j++;
                }
                return j == from ? -1 : kb * 1024;
            }
            while (i < len && b[i] != '\n') {
                i++;
            }
            i++;
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int at, int len) {
        if (at + PSS.length > len) {
            return false;
        }
        for (int k = 0; k < PSS.length; k++) {
            if (b[at + k] != PSS[k]) {
                return false;
            }
        }
        return true;
    }
}
