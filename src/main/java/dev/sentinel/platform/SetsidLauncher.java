package dev.sentinel.platform;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Starts the program through util-linux {@code setsid}, which calls setsid(2) and then execs in
 * the same process: the program keeps the pid Java reports, and leads a new session and process
 * group, so one signal reaches its whole tree. (The JVM's child is never a group leader, so
 * setsid never needs to fork.)
 *
 * <p>Each child also gets a {@link Lifeline}, so that even if Sentinel is SIGKILLed its process
 * group does not outlive it.
 */
public final class SetsidLauncher implements ProcessLauncher {

    /** Marks that the launcher moved the JVM's suspend signal off SIGUSR2 (see bin/sentinel). */
    static final String OWN_SR_SIGNUM = "SENTINEL_OWN_SR_SIGNUM";

    private final CommandResolver resolver;
    private final Path setsid;
    private final boolean lifelines;

    public SetsidLauncher(CommandResolver resolver, Path setsid, boolean lifelines) {
        this.resolver = resolver;
        this.setsid = setsid;
        this.lifelines = lifelines;
    }

    /** Finds setsid on PATH; fails with a message saying what to install. */
    public static Path findSetsid(CommandResolver resolver) throws LaunchException {
        for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return Path.of(candidate);
            }
        }
        try {
            return resolver.resolve("setsid");
        } catch (LaunchException e) {
            throw new LaunchException("sentinel needs the setsid program (Debian/Ubuntu: util-linux) to give the "
                    + "child its own process group, and it is not installed", 127);
        }
    }

    @Override
    public Child launch(LaunchSpec spec) throws LaunchException {
        if (spec.cwd() != null && !java.nio.file.Files.isDirectory(spec.cwd())) {
            throw new LaunchException(spec.command().get(0) + ": cannot be started: its working directory "
                    + spec.cwd() + " is not a directory", 126);
        }
        resolver.in(spec.cwd(), spec.env().get("PATH")).resolve(spec.command().get(0));
        List<String> argv = new ArrayList<>(spec.command().size() + 1);
        argv.add(setsid.toString());
        argv.addAll(spec.command());
        ProcessBuilder pb = new ProcessBuilder(argv);
        if (pb.environment().remove(OWN_SR_SIGNUM) != null) {
            // Set by bin/sentinel for Sentinel's own JVM only; the program must not inherit it.
            pb.environment().remove("_JAVA_SR_SIGNUM");
        }
        pb.environment().putAll(spec.env());
        if (spec.cwd() != null) {
            pb.directory(spec.cwd().toFile());
        }
        if (spec.discard()) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        } else if (spec.capture() == null) {
            pb.inheritIO();
        } else {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new LaunchException(spec.command().get(0) + ": cannot be started: " + e.getMessage(), 126);
        }
        if (spec.capture() != null && !spec.discard()) {
            pump(process.getInputStream(), OutputSink.Stream.STDOUT, spec.capture(), process.pid());
            pump(process.getErrorStream(), OutputSink.Stream.STDERR, spec.capture(), process.pid());
        }
        Lifeline lifeline = lifelines ? Lifeline.start(process.pid()) : null;
        return new ProcessChild(process, lifeline);
    }

    /**
     * One thread per stream and child, blocked in read(2) while the program is quiet, so it costs
     * no CPU then; 50 programs make 100 of them, hence the small stack (a pump calls little more
     * than the sink). It reads as fast as the program writes, because a sink never blocks for
     * long: a program never stalls on a full pipe because another program or the terminal is slow.
     */
    private static void pump(InputStream in, OutputSink.Stream stream, OutputSink sink, long pid) {
        long stackBytes = 256 * 1024;
        Runnable read = () -> {
            try (in) {
                PipeLines.read(in, line -> {
                    try {
                        sink.line(stream, line);
                    } catch (RuntimeException e) {
                        // A failing sink loses this line; the pipe must go on being read, or the program blocks.
                    }
                });
            } catch (IOException e) {
                // The pipe closed: the tree is gone.
            }
        };
        Thread t = new Thread(null, read, "output-" + stream.name().toLowerCase(java.util.Locale.ROOT) + "-" + pid,
                stackBytes);
        t.setDaemon(true);
        t.start();
    }

    private static final class ProcessChild implements Child {
        private final Process process;
        private final Lifeline lifeline;

        ProcessChild(Process process, Lifeline lifeline) {
            this.process = process;
            this.lifeline = lifeline;
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public long pgid() {
            return process.pid();
        }

        @Override
        public OptionalInt exitStatus() {
            return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
        }

        @Override
        public void onExit(Runnable action) {
            process.onExit().thenRun(action);
        }

        @Override
        public void release() {
            if (lifeline != null) {
                lifeline.release();
            }
        }
    }
}
