package dev.sentinel.platform.health;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one result of one run. The first pass or fail goes to the caller's {@code done}; any later
 * one is dropped, so a check may report early (an exec check at its timeout, before its process
 * group is killed) and the runner may add a fail after any check, whatever became of it.
 */
final class Outcome {

    private static final Logger LOG = LoggerFactory.getLogger(Outcome.class);

    private final Deadline deadline;
    private final Consumer<ProbeResult> done;
    private final AtomicBoolean given = new AtomicBoolean();

    Outcome(Deadline deadline, Consumer<ProbeResult> done) {
        this.deadline = deadline;
        this.done = done;
    }

    void pass(String detail) {
        give(true, detail);
    }

    void fail(String detail) {
        give(false, detail);
    }

    void give(boolean passed, String detail) {
        if (!given.compareAndSet(false, true)) {
            return;
        }
        ProbeResult result = new ProbeResult(passed, Details.oneLine(detail, Details.MAX), deadline.elapsedNanos());
        try {
            done.accept(result);
        } catch (RuntimeException e) {
            // The caller's bug; the check thread must live on for the next check.
            LOG.warn("a health check's result was not taken: {}", result, e);
        }
    }
}
