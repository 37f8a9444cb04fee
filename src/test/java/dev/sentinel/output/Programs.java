package dev.sentinel.output;

import dev.sentinel.platform.Child;
import dev.sentinel.platform.CommandResolver;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Libc;
import dev.sentinel.platform.LibcSignaller;
import dev.sentinel.platform.OutputSink;
import dev.sentinel.platform.SetsidLauncher;
import dev.sentinel.platform.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real {@code sh -c} children started through the real launcher; closing kills every group started. */
final class Programs implements AutoCloseable {

    private final CommandResolver resolver = CommandResolver.fromEnvironment();
    private final LibcSignaller signaller = new LibcSignaller(new Libc());
    private final List<Child> children = new ArrayList<>();

    Child start(String script, OutputSink sink) throws LaunchException {
        return start(new LaunchSpec(List.of("sh", "-c", script), sink));
    }

    Child start(OutputRoute route, String script) throws LaunchException {
        return start(route.launchSpec(List.of("sh", "-c", script), null, Map.of()));
    }

    /** One launcher (and its lifeline shell) for all the programs, ended by {@link #close()}. */
    private SetsidLauncher launcher;

    private Child start(LaunchSpec spec) throws LaunchException {
        if (launcher == null) {
            launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), true);
        }
        Child c = launcher.launch(spec);
        children.add(c);
        return c;
    }

    void kill(Child c) {
        signaller.signalGroup(c.pgid(), Signal.KILL);
    }

    @Override
    public void close() {
        for (Child c : children) {
            kill(c);
            c.release();
        }
        if (launcher != null) {
            launcher.close();
        }
    }
}
