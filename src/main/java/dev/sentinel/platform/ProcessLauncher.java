package dev.sentinel.platform;

/** Starts the guarded program. */
@FunctionalInterface
public interface ProcessLauncher {

    /**
     * Starts the program in a new session and process group.
     *
     * @throws LaunchException if it cannot be run; the exception carries 126 or 127
     */
    Child launch(LaunchSpec spec) throws LaunchException;

    /**
     * Whether an order may start the program (again): false where Sentinel attaches to a process
     * it did not start ({@link AttachLauncher}) and so cannot start it anew.
     */
    default boolean ordersStart() {
        return true;
    }
}
