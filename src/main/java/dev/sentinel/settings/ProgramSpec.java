package dev.sentinel.settings;

import java.nio.file.Path;
import java.util.Map;

/**
 * One program as a config file (or the command line) describes it. Immutable and compared by
 * value: a reload restarts a program exactly when its spec differs from the running one's.
 *
 * @param guardian how it is guarded (its name, command, limit, grace, restart policy, stop signal)
 * @param cwd its working directory, or null for Sentinel's own
 * @param env variables set over Sentinel's environment
 * @param priority lower starts first and stops last; equal priorities start together and stop in parallel
 * @param autostart false: it waits for {@code start NAME}
 * @param output where its output goes
 * @param hook the command run for its lifecycle events, if any
 */
public record ProgramSpec(GuardianConfig guardian, Path cwd, Map<String, String> env, int priority,
                          boolean autostart, OutputTarget output, HookSettings hook) {

    /** The default priority, as supervisord's. */
    public static final int DEFAULT_PRIORITY = 999;

    public ProgramSpec {
        env = Map.copyOf(env);
        if (hook == null) {
            hook = HookSettings.NONE;
        }
    }

    /** Without a hook. */
    public ProgramSpec(GuardianConfig guardian, Path cwd, Map<String, String> env, int priority, boolean autostart,
                       OutputTarget output) {
        this(guardian, cwd, env, priority, autostart, output, HookSettings.NONE);
    }

    public ProgramSpec withHook(HookSettings h) {
        return new ProgramSpec(guardian, cwd, env, priority, autostart, output, h);
    }

    /** A program as the command line describes it: defaults for everything but its guarding. */
    public static ProgramSpec of(GuardianConfig guardian) {
        return new ProgramSpec(guardian, null, Map.of(), DEFAULT_PRIORITY, true, OutputTarget.PREFIX);
    }

    public String name() {
        return guardian.name();
    }
}
