package dev.sentinel.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A process Sentinel did not start and attached to ({@code sentinel attach}). It is not
 * Sentinel's child, so its exit status cannot be had (waitpid(2) is for a parent only):
 * {@link #exitStatus()} says 0 once it is gone. Gone means its /proc entry is missing, belongs
 * to another process (a different start time: the pid was reused), or is a zombie.
 *
 * <p>The exit is heard through a pidfd ({@code pidfd_open(2)}, Linux 5.3+), which becomes
 * readable when the process ends; where there is none, by looking at /proc every
 * {@value #POLL_MILLIS} ms. Either way on one daemon thread, only to wake the loop: the loop's own
 * tick reads /proc itself.
 */
public final class AttachedChild implements Child {

    static final long POLL_MILLIS = 100;
    private final ProcFs proc;
    private final long pid;
    private final long pgid;
    private final long startTicks;
    private final boolean groupIsTree;
    private final List<Runnable> onExit = new CopyOnWriteArrayList<>();
    private volatile boolean gone;
    private volatile boolean released;
    private Thread watcher;

    /**
     * @param startTicks the start time /proc gave when the process was found: with the pid, it is
     *                   the process
     * @param groupIsTree whether its process group is its tree alone ({@link Child#groupIsTree()})
     */
    public AttachedChild(ProcFs proc, long pid, long pgid, long startTicks, boolean groupIsTree) {
        this.proc = proc;
        this.pid = pid;
        this.pgid = pgid;
        this.startTicks = startTicks;
        this.groupIsTree = groupIsTree;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public long pgid() {
        return pgid;
    }

    /** 0 once the process is gone (its own status is not Sentinel's to read), empty while it runs. */
    @Override
    public OptionalInt exitStatus() {
        if (!gone && isGone()) {
            gone = true;
        }
        return gone ? OptionalInt.of(0) : OptionalInt.empty();
    }

    @Override
    public synchronized void onExit(Runnable action) {
        onExit.add(action);
        if (watcher == null) {
            watcher = new Thread(this::watch, "sentinel-attached-" + pid);
            watcher.setDaemon(true);
            watcher.start();
        }
    }

    @Override
    public void release() {
        released = true;
    }

    @Override
    public boolean groupIsTree() {
        return groupIsTree;
    }

    @Override
    public boolean attached() {
        return true;
    }

    /** Whether the process is gone: no /proc entry, another process's (pid reused), or a zombie. */
    boolean isGone() {
        ProcStat st = ProcScan.stat(proc, pid);
        return st == null || st.startTicks() != startTicks || st.isDead();
    }

    private void watch() {
        Libc lib = null;
        int fd = -1;
        try {
            lib = new Libc();
            fd = lib.pidfdOpen(pid);
        } catch (RuntimeException | LinkageError e) {
            // No JNA or no such call: /proc alone.
        }
        try {
            while (!released && !isGone()) {
                if (fd >= 0) {
                    // A bounded wait, so that a release is seen within a second.
                    lib.awaitReadable(fd, 1000);
                } else {
                    Thread.sleep(POLL_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (fd >= 0) {
                lib.close(fd);
            }
        }
        if (!released) {
            gone = true;
            onExit.forEach(Runnable::run);
        }
    }

    /** Whether a pidfd can be had here (Linux 5.3+ with JNA): how an exit is heard. */
    public static boolean pidfdAvailable() {
        try {
            Libc lib = new Libc();
            int fd = lib.pidfdOpen(ProcessHandle.current().pid());
            if (fd >= 0) {
                lib.close(fd);
                return true;
            }
        } catch (RuntimeException | LinkageError e) {
            // Not here.
        }
        return false;
    }

    /** Reads of /proc/PID/stat and /proc/PID/cmdline that say null for a process that vanished. */
    static final class ProcScan {
        private ProcScan() {
        }

        static ProcStat stat(ProcFs proc, long pid) {
            return proc.statOf(pid);
        }

        /** The arguments joined by spaces (as {@code ps -o args} shows them); null if gone, empty for a kernel thread. */
        static String cmdline(ProcFs proc, long pid) {
            try {
                byte[] raw = Files.readAllBytes(proc.cmdline(pid));
                int end = raw.length;
                while (end > 0 && raw[end - 1] == 0) {
                    end--;
                }
                StringBuilder s = new StringBuilder(end);
                String text = new String(raw, 0, end, java.nio.charset.StandardCharsets.UTF_8);
                for (int i = 0; i < text.length(); i++) {
                    char c = text.charAt(i);
                    s.append(c == 0 ? ' ' : c);
                }
                return s.toString();
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }
}
