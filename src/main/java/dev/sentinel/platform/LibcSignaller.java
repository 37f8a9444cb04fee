package dev.sentinel.platform;

/** Signals through libc {@code kill(2)}: microseconds per signal, no process spawned. */
public final class LibcSignaller implements Signaller {

    private final Libc libc;

    public LibcSignaller(Libc libc) {
        this.libc = libc;
    }

    @Override
    public boolean signal(long pid, Signal signal) {
        if (pid <= 1) {
            throw new IllegalArgumentException("refusing to signal pid " + pid);
        }
        return libc.kill((int) pid, signal.number()) == 0;
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
