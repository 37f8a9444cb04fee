package dev.sentinel.platform.health;

import dev.sentinel.platform.ProcessLauncher;
import dev.sentinel.platform.Signaller;
import java.time.Duration;
import java.util.function.Consumer;

/** STUB until the probes branch is merged. */
public final class ProbeRunner implements Prober, AutoCloseable {
    public ProbeRunner(ProcessLauncher launcher, Signaller signaller, int maxThreads) {
    }

    @Override
    public void run(Probe probe, Duration timeout, Consumer<ProbeResult> done) {
        done.accept(new ProbeResult(false, "stub", 0));
    }

    @Override
    public void close() {
    }
}
