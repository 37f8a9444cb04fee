package dev.sentinel.platform;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the program a command names the way a shell does, so that a missing or non-executable
 * program is reported before anything is spawned, with the shell's exit codes (127, 126).
 */
public final class CommandResolver {

    private final String pathVariable;
    private final Path workingDirectory;

    public CommandResolver(String pathVariable, Path workingDirectory) {
        this.pathVariable = pathVariable == null ? "/usr/local/bin:/usr/bin:/bin" : pathVariable;
        this.workingDirectory = workingDirectory;
    }

    public static CommandResolver fromEnvironment() {
        return new CommandResolver(System.getenv("PATH"), Path.of("").toAbsolutePath());
    }

    /**
     * This resolver for a program started in {@code cwd} (null: the same directory) with
     * {@code path} as its PATH (null: the same PATH); itself when nothing differs.
     */
    public CommandResolver in(Path cwd, String path) {
        if (cwd == null && path == null) {
            return this;
        }
        return new CommandResolver(path == null ? pathVariable : path,
                cwd == null ? workingDirectory : workingDirectory.resolve(cwd));
    }

    /** Returns the executable file that {@code program} names, or throws with a 126/127 code. */
    public Path resolve(String program) throws LaunchException {
        if (program.isEmpty()) {
            throw new LaunchException("the command is empty", 127);
        }
        if (program.contains("/")) {
            Path p = workingDirectory.resolve(program);
            if (!Files.exists(p)) {
                throw new LaunchException(program + ": no such file", 127);
            }
            checkRunnable(p, program);
            return p;
        }
        Path notExecutable = null;
        for (String dir : pathVariable.split(File.pathSeparator, -1)) {
            Path candidate = workingDirectory.resolve(dir.isEmpty() ? "." : dir).resolve(program);
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
                if (notExecutable == null) {
                    notExecutable = candidate;
                }
            }
        }
        if (notExecutable != null) {
            throw new LaunchException(program + ": permission denied (" + notExecutable + " is not executable)", 126);
        }
        throw new LaunchException(program + ": command not found (searched PATH)", 127);
    }

    private static void checkRunnable(Path p, String program) throws LaunchException {
        if (Files.isDirectory(p)) {
            throw new LaunchException(program + ": is a directory", 126);
        }
        if (!Files.isExecutable(p)) {
            throw new LaunchException(program + ": permission denied (not executable)", 126);
        }
    }
}
