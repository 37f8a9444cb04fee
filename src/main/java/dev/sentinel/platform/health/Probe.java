package dev.sentinel.platform.health;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One thing a health check asks. Immutable. */
public sealed interface Probe {

    /** GET {@code uri} (http or https); passes on a 2xx or 3xx status line. */
    record Http(URI uri) implements Probe {
    }

    /** Connect to {@code host:port}; passes once the connection is made (it is closed at once). */
    record Tcp(String host, int port) implements Probe {
    }

    /**
     * Run {@code argv} in its own session (so that its whole process group can be killed at the
     * timeout), with stdin from /dev/null; passes on exit 0.
     *
     * @param cwd its working directory, or null for Sentinel's own
     * @param env variables set over Sentinel's environment
     */
    record Exec(List<String> argv, Path cwd, Map<String, String> env) implements Probe {
        public Exec {
            argv = List.copyOf(argv);
            env = Map.copyOf(env);
        }
    }
}
