package dev.sentinel.output;

import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.OutputSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where one program's output goes, in the two words {@link LaunchSpec} takes.
 *
 * @param capture the sink its lines go to, or null when discarded
 * @param discard true: stdout and stderr are /dev/null, nothing is read
 */
public record OutputRoute(OutputSink capture, boolean discard) {

    public static final OutputRoute DISCARD = new OutputRoute(null, true);

    public OutputRoute {
        if (discard == (capture != null)) {
            throw new IllegalArgumentException("either a sink or discard");
        }
    }

    public static OutputRoute to(OutputSink sink) {
        return new OutputRoute(sink, false);
    }

    /** The launch spec of {@code command} with this route. */
    public LaunchSpec launchSpec(List<String> command, Path cwd, Map<String, String> env) {
        return new LaunchSpec(command, capture, cwd, env, discard);
    }
}
