package dev.sentinel.output;

import dev.sentinel.settings.OutputTarget;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.OutputSink;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Config mode's output, for every program: turns a program's {@link OutputTarget} into the
 * {@link OutputRoute} its launch takes. {@code "prefix"} lines go to one {@link PrefixedConsole}
 * (or to whatever sink the caller gives, such as the dashboard's pane), {@code PATH} to
 * {@link FileOutputs}, {@code "discard"} to /dev/null without a reader. Writer threads start
 * with the first route that needs them: a file with only discarding programs starts none.
 *
 * <p>Thread-safe. {@link #route} opens files, which takes a system call or two.
 */
public final class OutputRouter implements AutoCloseable {

    /** Headless: where the console writes, and the names it pads to. */
    private final PrintStream out;
    private final PrintStream err;
    private final List<String> names;
    /** Otherwise: who takes prefixed lines. */
    private final Function<String, OutputSink> prefix;
    private final FileOutputs files;
    /** Started with the first prefixed program. */
    private PrefixedConsole console;

    private OutputRouter(PrintStream out, PrintStream err, Collection<String> names, Function<String, OutputSink> prefix,
                         Consumer<String> warnings) {
        this.out = out;
        this.err = err;
        this.names = List.copyOf(names);
        this.prefix = prefix;
        this.files = new FileOutputs(warnings);
    }

    /**
     * Headless: prefixed lines to {@code out} and {@code err}. Pass the PrintStreams the lifecycle
     * lines are printed through (normally System.out and System.err): a batch is written under the
     * stream's lock, so a lifecycle line never lands inside a program's line.
     *
     * @param names every program's name, started or not, for the padding
     * @param warnings told when an output file cannot be written any more, and when it can again
     *                 (on the file writer's thread)
     */
    public static OutputRouter headless(PrintStream out, PrintStream err, Collection<String> names,
                                        Consumer<String> warnings) {
        return new OutputRouter(out, err, names, null, warnings);
    }

    /** {@code output = "prefix"} goes to the sink {@code prefix} gives for a name (the dashboard's pane). */
    public static OutputRouter prefixingTo(Function<String, OutputSink> prefix, Consumer<String> warnings) {
        return new OutputRouter(null, null, List.of(), prefix, warnings);
    }

    /**
     * Where {@code name}'s output goes for {@code target}; once per program is enough (the route
     * serves every run). A file is opened on the first route to it.
     *
     * @throws IOException when the file cannot be opened, with a message fit for a user
     */
    public synchronized OutputRoute route(String name, OutputTarget target) throws IOException {
        if (target instanceof OutputTarget.Discard) {
            return OutputRoute.DISCARD;
        }
        if (target instanceof OutputTarget.ToFile f) {
            try {
                return OutputRoute.to(files.forProgram(name, f.path()));
            } catch (IOException e) {
                throw new IOException("cannot open the output file " + f.path() + " for appending: " + e.getMessage(), e);
            }
        }
        if (prefix != null) {
            return OutputRoute.to(prefix.apply(name));
        }
        if (console == null) {
            console = PrefixedConsole.start(out, err, names);
        }
        return OutputRoute.to(console.forProgram(name));
    }

    /** The launch spec of {@code spec}'s program: its command, cwd and env, and its output routed. */
    public LaunchSpec launchSpec(ProgramSettings spec) throws IOException {
        return route(spec.name(), spec.output()).launchSpec(spec.command(), spec.cwd(), spec.env());
    }

    /**
     * Call once every program has exited: writes what is queued and what the programs' pipes still
     * bring, and closes the files. The writers stop as soon as every pipe they were given has ended
     * (its last line written), or after two seconds if a stream or a disk is stuck or a daemon the
     * program left keeps its pipe open.
     */
    @Override
    public synchronized void close() {
        long deadline = System.nanoTime() + PrefixedConsole.CLOSE_WAIT.toNanos();
        files.beginClose(deadline);
        if (console != null) {
            console.beginClose(deadline);
        }
        files.awaitStop(deadline);
        if (console != null) {
            console.awaitStop(deadline);
        }
    }
}
