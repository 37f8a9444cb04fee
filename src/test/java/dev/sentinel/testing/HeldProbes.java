package dev.sentinel.testing;

import dev.sentinel.platform.health.Probe;
import dev.sentinel.platform.health.ProbeResult;
import dev.sentinel.platform.health.Prober;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Checks that wait until the test says how they went: a fake prober for the state machine's logic. */
public final class HeldProbes implements Prober {

    private final List<Consumer<ProbeResult>> pending = new ArrayList<>();
    private int runs;

    @Override
    public synchronized void run(Probe probe, Duration timeout, Consumer<ProbeResult> done) {
        runs++;
        pending.add(done);
    }

    /** How many checks were started in all. */
    public synchronized int runs() {
        return runs;
    }

    /** How many wait for their answer. */
    public synchronized int waiting() {
        return pending.size();
    }

    /** Every waiting check passes. */
    public void pass() {
        answer(new ProbeResult(true, "HTTP 200", 1_000_000));
    }

    /** Every waiting check fails, saying {@code detail}. */
    public void fail(String detail) {
        answer(new ProbeResult(false, detail, 1_000_000));
    }

    private void answer(ProbeResult r) {
        List<Consumer<ProbeResult>> now;
        synchronized (this) {
            now = new ArrayList<>(pending);
            pending.clear();
        }
        now.forEach(d -> d.accept(r));
    }
}
