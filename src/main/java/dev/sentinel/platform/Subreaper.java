package dev.sentinel.platform;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.Arrays;
import java.util.function.LongPredicate;

/**
 * Makes Sentinel a child subreaper ({@code prctl(PR_SET_CHILD_SUBREAPER)}), so that a guarded
 * program's orphans, daemons that double-forked away included, are re-parented to Sentinel and
 * not to PID 1: they stay in reach (and on a machine whose PID 1 does not reap, they would
 * otherwise stay zombies for ever). What is adopted must then be reaped here.
 *
 * <p>The JDK reaps the processes it started itself, each with {@code waitpid(thatPid)} from its
 * own reaper thread, and reports their exit status from that one call. So nothing here ever
 * waits for "any child" ({@code waitpid(-1)}), and callers name the JDK's children through a
 * {@code spawnedByJdk} predicate: reaping one of them first would leave the JDK {@code ECHILD}
 * and a wrong exit status.
 *
 * <p>Orphans are re-parented to the first live thread of the subreaper's thread group
 * ({@code find_alive_thread} in kernel/exit.c), the group leader: in a JVM started by the
 * {@code java} launcher that is the primordial thread, which only waits for the VM to end, so
 * it never forks and never exits first. Its {@code /proc/PID/task/PID/children} is therefore the
 * list of adoptees, read here in one {@code read}. (Measured on 6.18: adoptees landed there
 * whichever Java thread had started the tree. The file also lists the JDK's own children whose
 * starting thread has ended, since they too pass to the leader: hence the predicate.)
 *
 * <p>{@link #adopted} shares one buffer and one open file: call it from one thread at a time
 * (it is synchronized for that). {@link #reapIfEnded} can be called from any thread.
 */
public final class Subreaper {

    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;
    /** A read of a seq_file shorter than this has reached the end: a page less the longest "pid ". */
    private static final int SHORT_READ = 4096 - 32;

    /** Why libc could not be bound, or null. */
    private static final String BIND_ERROR = bind();

    /** Told of each child {@link #reapEnded(LongPredicate, Reaped)} reaps. */
    @FunctionalInterface
    public interface Reaped {
        /** {@code status}: the exit code, or 128 + the signal that ended it. */
        void reaped(long pid, int status);
    }

    private final ProcFs proc;
    private final long self;
    private final String unavailableWhy;
    private RandomAccessFile childrenFile;
    private byte[] buffer = new byte[8192];

    Subreaper(ProcFs proc, long self, String unavailableWhy) {
        this.proc = proc;
        this.self = self;
        this.unavailableWhy = unavailableWhy;
    }

    /**
     * Makes this process a child subreaper. If that cannot be done (no JNA, not Linux, a kernel
     * before 3.4, a seccomp filter) the instance is inert: nothing is adopted, so nothing is
     * listed or reaped, and {@link #unavailableWhy()} says why.
     */
    public static Subreaper enable(ProcFs proc) {
        long self = ProcessHandle.current().pid();
        if (BIND_ERROR != null) {
            return new Subreaper(proc, self, BIND_ERROR);
        }
        if (prctl(PR_SET_CHILD_SUBREAPER, new NativeLong(1), new NativeLong(0), new NativeLong(0),
                new NativeLong(0)) != 0) {
            return new Subreaper(proc, self, "prctl(PR_SET_CHILD_SUBREAPER) failed with errno " + Native.getLastError());
        }
        return new Subreaper(proc, self, null);
    }

    private static String bind() {
        if (!Platform.isLinux()) {
            return "not Linux";
        }
        try {
            Native.register(Subreaper.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "cannot bind libc through JNA: " + e;
        }
    }

    /**
     * For tests: stops being a subreaper, so that later tests in the same JVM see orphans go to
     * PID 1 as usual. Children adopted so far stay this process's.
     */
    void disable() {
        if (unavailableWhy == null) {
            prctl(PR_SET_CHILD_SUBREAPER, new NativeLong(0), new NativeLong(0), new NativeLong(0), new NativeLong(0));
        }
    }

    public boolean enabled() {
        return unavailableWhy == null;
    }

    /** Why this process is not a subreaper, or null if it is. */
    public String unavailableWhy() {
        return unavailableWhy;
    }

    /**
     * The children the kernel handed to this process: those listed in the group leader's children
     * file, less every pid {@code spawnedByJdk} accepts (the JDK's own children, which it reaps
     * itself). Zombies included: they are what {@link #reapEnded} is for.
     */
    public synchronized long[] adopted(LongPredicate spawnedByJdk) {
        if (unavailableWhy != null) {
            return new long[0];
        }
        long[] children;
        int length = readChildren(); // may grow the buffer: read before taking it
        try {
            children = PidList.parse(buffer, length);
        } catch (NumberFormatException e) {
            return PidList.NONE; // the kernel writes pids only; nothing else is taken for one
        }
        int count = 0;
        for (long pid : children) {
            if (!spawnedByJdk.test(pid)) {
                children[count++] = pid;
            }
        }
        return count == children.length ? children : Arrays.copyOf(children, count);
    }

    /**
     * Reaps {@code pid} if it has ended ({@code waitpid(pid, WNOHANG)}): its exit code, or 128 +
     * the signal that ended it; -1 if it still runs or is not a child of this process. Never call
     * it for a child the JDK started: the JDK would then lose its exit status.
     */
    public int reapIfEnded(long pid) {
        // 0 and negative numbers would mean "any child" or a process group: never.
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("not a pid: " + pid);
        }
        if (unavailableWhy != null) {
            return -1;
        }
        int[] status = new int[1];
        if (waitpid((int) pid, status, WNOHANG) != pid) {
            return -1;
        }
        return exitStatus(status[0]);
    }

    /** Reaps every adopted child that has ended; returns how many. */
    public int reapEnded(LongPredicate spawnedByJdk) {
        return reapEnded(spawnedByJdk, (pid, status) -> { });
    }

    /** Reaps every adopted child that has ended, telling {@code reaped} of each; returns how many. */
    public int reapEnded(LongPredicate spawnedByJdk, Reaped reaped) {
        return reapEnded(adopted(spawnedByJdk), spawnedByJdk, reaped);
    }

    /**
     * Reaps each of {@code adopted} (a list {@link #adopted} gave) that has ended, telling
     * {@code reaped} of each; returns how many. Saves a second read of the children file when the
     * caller has just listed them.
     */
    public int reapEnded(long[] adopted, LongPredicate spawnedByJdk, Reaped reaped) {
        int count = 0;
        for (long pid : adopted) {
            // Asked again just before the wait: a pid the JDK took on since the file was read stays its own.
            if (spawnedByJdk.test(pid)) {
                continue;
            }
            int status = reapIfEnded(pid);
            if (status >= 0) {
                count++;
                reaped.reaped(pid, status);
            }
        }
        return count;
    }

    /** The wait status decoded as a shell does: the code of an exit, 128 + the signal of a kill. */
    static int exitStatus(int wstatus) {
        int signal = wstatus & 0x7f;
        return signal == 0 ? (wstatus >> 8) & 0xff : 128 + signal;
    }

    /** Reads the whole children file into {@link #buffer}; returns its length (0 if unreadable). */
    private int readChildren() {
        try {
            if (childrenFile == null) {
                childrenFile = new RandomAccessFile(proc.children(self, self).toFile(), "r");
            }
            childrenFile.seek(0);
            int total = 0;
            int n;
            while ((n = childrenFile.read(buffer, total, buffer.length - total)) > 0) {
                total += n;
                if (total == buffer.length) {
                    buffer = Arrays.copyOf(buffer, buffer.length * 2);
                } else if (n < SHORT_READ) {
                    // A seq_file read stops short only at the end or when its page is full: this was the end.
                    break;
                }
            }
            return total;
        } catch (IOException e) {
            // No such file (a kernel without CONFIG_PROC_CHILDREN, a fake /proc): nothing to list.
            closeQuietly();
            return 0;
        }
    }

    private void closeQuietly() {
        if (childrenFile != null) {
            try {
                childrenFile.close();
            } catch (IOException ignored) {
                // nothing was written
            }
            childrenFile = null;
        }
    }

    // Direct mapping: the names and signatures are libc's. prctl is variadic; its arguments are unsigned longs.
    private static native int prctl(int option, NativeLong arg2, NativeLong arg3, NativeLong arg4, NativeLong arg5);

    private static native int waitpid(int pid, int[] status, int options);
}
