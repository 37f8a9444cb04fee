package dev.sentinel.core;

/**
 * Sentinel's adopted children: orphans of the guarded trees that the kernel re-parented to
 * Sentinel, a child subreaper (platform: {@code Subreaper}). Never the children the JDK started
 * and waits for itself.
 */
public interface Adoptions {

    /** The adopted children now (running or ended and not yet reaped). */
    long[] adopted();

    /** {@code {process group, session}} of {@code pid}, or null if it is gone or unreadable. */
    long[] groupAndSession(long pid);

    /** Reaps each of {@code adopted} (as {@link #adopted()} listed them) that has ended; returns how many. */
    int reapEnded(long[] adopted);
}
