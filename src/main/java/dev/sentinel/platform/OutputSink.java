package dev.sentinel.platform;

/**
 * Receives the guarded program's output line by line when it is captured rather than passed
 * through. Called from Sentinel's output reader (one thread for every program's pipes; or, where
 * poll(2) cannot be used, one pump thread per pipe), never from the supervisor loop. It must not
 * block: while it runs, no other program's output is read. A sink that throws loses that line,
 * and reading goes on.
 *
 * <p>Per pipe (a run's stdout, or its stderr) the calls come in order: {@link #begin} once, on
 * the thread that launches the program, before the launch returns; then {@link #line} for each
 * line; then {@link #end} once, when the pipe has closed (every process holding it, grandchildren
 * included, has closed it or exited) and its last line was handed over. So a consumer can tell
 * exactly when a program's last line has come.
 */
@FunctionalInterface
public interface OutputSink {

    void line(Stream stream, String text);

    /** A pipe of {@code stream} was opened for a new run; its lines and its {@link #end} follow. */
    default void begin(Stream stream) {
    }

    /** A pipe of {@code stream} closed: every line it carried has been given to {@link #line}. */
    default void end(Stream stream) {
    }

    enum Stream { STDOUT, STDERR }
}
