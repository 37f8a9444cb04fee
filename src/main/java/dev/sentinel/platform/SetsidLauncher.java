package dev.sentinel.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts the program through util-linux {@code setsid}, which calls setsid(2) and then execs in
 * the same process: the program keeps the pid Java reports, and leads a new session and process
 * group, so one signal reaches its whole tree. (The JVM's child is never a group leader, so
 * setsid never needs to fork.)
 *
 * <p>Each child is also registered with the launcher's {@link Lifelines} (one shell for all of
 * them), so that even if Sentinel is SIGKILLed its process group does not outlive it. Close the
 * launcher once nothing it started runs any more (Sentinel's last act): the shell ends, and is
 * reaped, before Sentinel exits.
 *
 * <p>Captured output is read by one thread for all programs (see {@link OutputCapture}); a
 * program whose output is passed through or discarded costs no reader at all.
 */
public final class SetsidLauncher implements ProcessLauncher, AutoCloseable {

    /**
     * Enters the cgroups named after the count, then execs the rest: the program's first
     * instruction already runs inside its cgroup, so nothing it forks can start outside. (The
     * JDK cannot place a child before exec, and clone3's CLONE_INTO_CGROUP is out of its reach.)
     */
    static final String ENTER_CGROUPS = "n=$1; shift; while [ \"$n\" -gt 0 ]; do "
            + "echo $$ > \"$1\" || { echo \"sentinel: cannot enter the cgroup of $1\" >&2; exit 125; }; "
            + "shift; n=$((n - 1)); done; exec \"$@\"";

    /** Marks that the launcher moved the JVM's suspend signal off SIGUSR2 (see bin/sentinel). */
    static final String OWN_SR_SIGNUM = "SENTINEL_OWN_SR_SIGNUM";

    private final CommandResolver resolver;
    private final Path setsid;
    /** The lifeline shell shared by every child of this launcher, or null without lifelines. */
    private final Lifelines lifelines;
    private final OutputCapture capture;
    /** Pids this launcher started that are still running: the JDK reaps them, never the subreaper. */
    private final Set<Long> running = ConcurrentHashMap.newKeySet();

    public SetsidLauncher(CommandResolver resolver, Path setsid, boolean lifelines) {
        this(resolver, setsid, lifelines, null);
    }

    /** @param capture how captured output is read; null for Sentinel's own (decided on first use) */
    SetsidLauncher(CommandResolver resolver, Path setsid, boolean lifelines, OutputCapture capture) {
        this.resolver = resolver;
        this.setsid = setsid;
        this.lifelines = lifelines ? new Lifelines() : null;
        this.capture = capture;
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
        List<String> argv = new ArrayList<>(spec.command().size() + spec.cgroupProcs().size() + 6);
        if (!spec.cgroupProcs().isEmpty() || spec.pidVariable() != null) {
            // The shell's pid is the program's: it execs setsid, which execs the program.
            String pid = spec.pidVariable() == null ? "" : spec.pidVariable() + "=$$; export " + spec.pidVariable()
                    + "; ";
            argv.addAll(List.of("/bin/sh", "-c", pid + ENTER_CGROUPS, "sentinel-enter",
                    Integer.toString(spec.cgroupProcs().size())));
            spec.cgroupProcs().forEach(p -> argv.add(p.toString()));
        }
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
        OutputCapture.Wiring wiring = null;
        if (spec.discard()) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        } else if (spec.capture() == null) {
            pb.inheritIO();
        } else {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            try {
                wiring = (capture != null ? capture : OutputCapture.system()).prepare(pb);
            } catch (IOException e) {
                throw new LaunchException(spec.command().get(0) + ": cannot be started: " + e.getMessage(), 126);
            }
        }
        Process process;
        boolean started = false;
        try {
            process = pb.start();
            started = true;
        } catch (IOException e) {
            throw new LaunchException(spec.command().get(0) + ": cannot be started: " + e.getMessage(), 126);
        } finally {
            if (!started && wiring != null) {
                wiring.failed();
            }
        }
        if (wiring != null) {
            wiring.started(process, spec.capture());
        }
        if (lifelines != null) {
            lifelines.watch(process.pid(), cgroupKill(spec));
            for (Path procs : spec.cgroupProcs()) {
                // The program's cgroup and the directory of all programs' cgroups (sentinel-PID).
                lifelines.removeOnDeath(procs.getParent().getParent());
            }
        }
        long pid = process.pid();
        running.add(pid);
        process.onExit().thenRun(() -> running.remove(pid));
        return new ProcessChild(process, lifelines);
    }

    /**
     * Sentinel's own leaf cgroup (pure v2): removed by the lifeline shell if Sentinel dies (on a
     * normal exit the containment removes it). No-op without lifelines.
     */
    public void removeLeafOnDeath(Path leaf, String undoControllers) {
        if (lifelines != null && leaf != null) {
            lifelines.removeLeafOnDeath(leaf, undoControllers);
        }
    }

    /** The {@code cgroup.kill} beside the first cgroup the program enters (v2 first), or null. */
    private static Path cgroupKill(LaunchSpec spec) {
        if (spec.cgroupProcs().isEmpty()) {
            return null;
        }
        Path kill = spec.cgroupProcs().get(0).resolveSibling("cgroup.kill");
        return Files.exists(kill) ? kill : null;
    }

    /**
     * Whether {@code pid} is a process this launcher started (or its lifeline shell) and the JDK
     * still waits for: Sentinel's subreaper must leave it alone, or it would steal the exit status.
     */
    public boolean startedByJdk(long pid) {
        return running.contains(pid) || lifelines != null && lifelines.isShell(pid);
    }

    /**
     * Ends the lifeline shell and waits (briefly) until it is reaped; call it once every process
     * this launcher started is gone. A group still registered is killed, as Sentinel's death would
     * kill it. Launches after this run without a lifeline.
     */
    @Override
    public void close() {
        if (lifelines != null) {
            lifelines.close();
        }
    }

    private static final class ProcessChild implements Child {
        private final Process process;
        private final Lifelines lifeline;

        ProcessChild(Process process, Lifelines lifeline) {
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
                lifeline.release(process.pid());
            }
        }
    }
}
