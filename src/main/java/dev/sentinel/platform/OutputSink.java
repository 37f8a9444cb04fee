package dev.sentinel.platform;

/**
 * Receives the guarded program's output line by line when it is captured rather than passed
 * through. Called from the pump threads, never from the supervisor loop; must not block for long.
 */
@FunctionalInterface
public interface OutputSink {

    void line(Stream stream, String text);

    enum Stream { STDOUT, STDERR }
}
