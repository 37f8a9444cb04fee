package dev.sentinel.platform.health;

import java.time.Duration;
import java.util.function.Consumer;

/** Runs checks off the caller's thread. */
public interface Prober {

    /**
     * Runs {@code probe} on one of the prober's threads and returns at once; {@code done} is called
     * exactly once, on that thread, with its result, no later than {@code timeout} after the probe
     * began (plus the little it takes to kill an exec check's process group). It must not block.
     */
    void run(Probe probe, Duration timeout, Consumer<ProbeResult> done);
}
