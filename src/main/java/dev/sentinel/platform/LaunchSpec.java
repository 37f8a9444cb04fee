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
 * @param pidVariable a variable set to the program's own pid before it execs ({@code WATCHDOG_PID},
 *                    which sd_notify libraries compare with getpid()), or null
 */
public record LaunchSpec(List<String> command, OutputSink capture, Path cwd, Map<String, String> env, boolean discard,
                         List<Path> cgroupProcs, String pidVariable) {

    public LaunchSpec {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        cgroupProcs = List.copyOf(cgroupProcs);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        if (pidVariable != null && !pidVariable.matches("[A-Z_][A-Z0-9_]*")) {
            throw new IllegalArgumentException("not a variable name: " + pidVariable);
        }
    }

    public LaunchSpec(List<String> command, OutputSink capture, Path cwd, Map<String, String> env, boolean discard,
                      List<Path> cgroupProcs) {
        this(command, capture, cwd, env, discard, cgroupProcs, null);
    }

    public LaunchSpec(List<String> command, OutputSink capture, Path cwd, Map<String, String> env, boolean discard) {
        this(command, capture, cwd, env, discard, List.of(), null);
    }

    /** The same program, entering these cgroups before it execs. */
    public LaunchSpec inCgroup(List<Path> procsFiles) {
        return new LaunchSpec(command, capture, cwd, env, discard, procsFiles, pidVariable);
    }

    /** The same program with these variables over its environment, and {@code pidVariable} set to its pid (or null). */
    public LaunchSpec withEnv(Map<String, String> more, String pidVariable) {
        if (more.isEmpty() && pidVariable == null) {
            return this;
        }
        Map<String, String> all = new java.util.LinkedHashMap<>(env);
        all.putAll(more);
        return new LaunchSpec(command, capture, cwd, all, discard, cgroupProcs, pidVariable);
    }

    public LaunchSpec(List<String> command, OutputSink capture) {
        this(command, capture, null, Map.of(), false);
    }

    public static LaunchSpec passThrough(List<String> command) {
        return new LaunchSpec(command, null);
    }
}
