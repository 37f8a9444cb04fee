package dev.sentinel.platform;

import java.util.List;

/**
 * What to start and where its input and output go.
 *
 * @param command the program and its arguments
 * @param capture null to pass stdin, stdout and stderr straight through (headless mode);
 *                otherwise stdin is /dev/null and every output line goes to this sink
 */
public record LaunchSpec(List<String> command, OutputSink capture) {

    public LaunchSpec {
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
    }

    public static LaunchSpec passThrough(List<String> command) {
        return new LaunchSpec(command, null);
    }
}
