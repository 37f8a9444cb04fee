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

    /** Releases open files. */
    @Override
    void close();

    /** Opens samplers for new roots (one per run of the guarded program). */
    @FunctionalInterface
    interface Factory {
        Sampler open(long rootPid);
    }
}
