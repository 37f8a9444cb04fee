package dev.sentinel.control;

import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopExtension;
import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.file.Path;

/** The control socket, living in the supervisor loop's selector. (Stub: issue 3 builds it.) */
public final class ControlServer implements LoopExtension {

    private final Path path;

    private ControlServer(Path path) {
        this.path = path;
    }

    /** Binds the socket (before the program starts), or explains in one sentence why it cannot. */
    public static ControlServer bind(ControlSettings settings) throws ControlException {
        return new ControlServer(settings.path());
    }

    /** A selector this server's channels can register with; the supervisor loop waits in it. */
    public Selector openSelector() throws IOException {
        return Selector.open();
    }

    /** The path actually bound (the per-process fallback when the default path is taken). */
    public Path path() {
        return path;
    }

    @Override
    public void attach(LoopContext context) {
    }

    @Override
    public void close() {
    }
}
