package dev.sentinel.platform;

/** The command could not be started; carries the exit code a shell would use (126 or 127). */
public final class LaunchException extends Exception {

    private final int exitCode;

    public LaunchException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
