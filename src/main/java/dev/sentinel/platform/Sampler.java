package dev.sentinel.platform;

/**
 * Measures one guarded process tree. A sampler is opened for the tree's root and remembers
 * the processes it has seen, so a process that double-forks or whose parent dies keeps being
 * counted (and signalled) until it exits.
 *
 * <p>Processes vanish at any moment: a process that disappears mid-read is simply absent from
 * the result, never an exception. Not thread-safe: the supervisor loop owns it.
 */
public interface Sampler extends AutoCloseable {

    /** Takes a sample of the root and all its known and newly found descendants. */
    TreeSample sample();

    /**
     * Counts {@code pid} as part of the tree from the next sample on: an orphan of the tree that
     * Sentinel's subreaper adopted before any sample saw it. Samplers that cannot take it ignore it.
     */
    default void adopt(long pid) {
    }

    /**
     * How many processes of the tree the last sample could not read at all: listed as the tree's
     * (by a parent, the cgroup or the subreaper) for a second or longer but invisible in /proc, as
     * under {@code hidepid} for a process that is not dumpable or is another user's. Their memory is
     * not in the sample. Samplers that cannot tell say 0.
     */
    default int hidden() {
        return 0;
    }

    /** Releases open files. */
    @Override
    void close();

    /** Opens samplers for new roots (one per run of the guarded program). */
    @FunctionalInterface
    interface Factory {
        Sampler open(long rootPid);
    }
}
