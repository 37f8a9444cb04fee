package dev.sentinel.platform;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to start, where, and where its input and output go.
 *
 * @param command the program and its arguments
 * @param capture null to pass stdin, stdout and stderr straight through (headless mode);
 *                otherwise stdin is /dev/null and every output line goes to this sink
 * @param cwd the working directory, or null for Sentinel's own
 * @param env variables set (or replaced) in the program's environment over Sentinel's own
 * @param discard true to send stdout and stderr to /dev/null (stdin is /dev/null too); capture is then ignored
 * @param cgroupProcs the {@code cgroup.procs} files the program enters before it execs (its own
 *                    cgroup in each hierarchy), empty for none
 */
public record LaunchSpec(List<String> command, OutputSink capture, Path cwd, Map<String, String> env, boolean discard,
                         List<Path> cgroupProcs) {

    public LaunchSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        cgroupProcs = List.copyOf(cgroupProcs);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
    }

    public LaunchSpec(List<String> command, OutputSink capture, Path cwd, Map<String, String> env, boolean discard) {
        this(command, capture, cwd, env, discard, List.of());
    }

    /** The same program, entering these cgroups before it execs. */
    public LaunchSpec inCgroup(List<Path> procsFiles) {
        return new LaunchSpec(command, capture, cwd, env, discard, procsFiles);
    }

    public LaunchSpec(List<String> command, OutputSink capture) {
        this(command, capture, null, Map.of(), false);
    }

    public static LaunchSpec passThrough(List<String> command) {
        return new LaunchSpec(command, null);
    }
}
