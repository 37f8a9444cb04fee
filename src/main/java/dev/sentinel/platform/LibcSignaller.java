package dev.sentinel.platform;

/**
 * Signals through libc {@code kill(2)}: microseconds per signal, no process spawned. A process
 * known by its start time is signalled through a pidfd ({@code pidfd_open(2)} and
 * {@code pidfd_send_signal(2)}, Linux 5.3+), opened before its start time is checked: a pid
 * that was freed and given to a bystander between a sample and the signal is never hit.
 */
public final class LibcSignaller implements Signaller {

    private static final int ENOSYS = 38;

    private final Libc libc;
    private final ProcFs proc;
    /** False once the kernel said it has no pidfds: then the start time is checked just before kill(2). */
    private boolean pidfds = true;

    public LibcSignaller(Libc libc) {
        this(libc, ProcFs.system());
    }

    public LibcSignaller(Libc libc, ProcFs proc) {
        this.libc = libc;
        this.proc = proc;
    }

    @Override
    public boolean signal(long pid, Signal signal) {
        if (pid <= 1) {
            throw new IllegalArgumentException("refusing to signal pid " + pid);
        }
        return libc.kill((int) pid, signal.number()) == 0;
    }

    @Override
    public boolean signal(long pid, long startTicks, Signal signal) {
        if (startTicks <= 0) {
            return signal(pid, signal);
        }
        if (pid <= 1) {
            throw new IllegalArgumentException("refusing to signal pid " + pid);
        }
        int fd = -1;
        if (pidfds) {
            fd = libc.pidfdOpen(pid);
            if (fd == -Libc.ESRCH) {
                return false; // gone
            }
            if (fd == -ENOSYS) {
                pidfds = false;
            }
            // Other failures (EMFILE: out of descriptors) fall back to the check before kill(2).
        }
        try {
            // The pidfd is this pid's process now: if it started when the sampled one did, it is that one.
            ProcStat now = proc.statOf(pid);
            if (now == null || now.startTicks() != startTicks) {
                return false;
            }
            return fd >= 0 ? libc.pidfdSendSignal(fd, signal.number()) == 0 : libc.kill((int) pid, signal.number()) == 0;
        } finally {
            if (fd >= 0) {
                libc.close(fd);
            }
        }
    }

    /** Whether signals to known processes go through pidfds here (false after ENOSYS). */
    public boolean usesPidfds() {
        return pidfds;
    }

    @Override
    public boolean signalGroup(long pgid, Signal signal) {
        if (pgid <= 1) {
            throw new IllegalArgumentException("refusing to signal process group " + pgid);
        }
        return libc.kill((int) -pgid, signal.number()) == 0;
    }

    @Override
    public boolean groupAlive(long pgid) {
        // Signal 0 checks for existence without sending anything.
        return pgid > 1 && libc.kill((int) -pgid, 0) == 0;
    }
}
