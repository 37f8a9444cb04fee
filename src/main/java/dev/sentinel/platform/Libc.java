package dev.sentinel.platform;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The few libc calls the JDK does not offer, bound through JNA (already on the class path
 * for OSHI). Spawning {@code /bin/kill} would cost milliseconds per signal, which a memory
 * kill cannot afford.
 */
public final class Libc {

    interface CLib extends Library {
        int kill(int pid, int sig);

        int getpagesize();

        int isatty(int fd);
    }

    private final CLib lib;

    /** Loads JNA's native library now (it is otherwise loaded by the first {@code new Libc()}). */
    public static void loadNativeLibrary() {
        Native.getDefaultStringEncoding();
    }

    public Libc() {
        this.lib = Native.load("c", CLib.class);
    }

    /** {@code kill(2)}: returns 0 on success, -1 on failure (no such process, no permission). */
    public int kill(int pid, int signal) {
        return lib.kill(pid, signal);
    }

    /** Whether file descriptor {@code fd} (1 = stdout) is a terminal. */
    public boolean isTerminal(int fd) {
        return lib.isatty(fd) == 1;
    }

    public int pageSize() {
        return lib.getpagesize();
    }
}
