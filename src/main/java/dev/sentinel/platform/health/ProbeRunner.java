package dev.sentinel.platform.health;

import dev.sentinel.platform.ProcessLauncher;
import dev.sentinel.platform.Signaller;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Runs http, tcp and exec checks on at most {@code maxThreads} threads of its own
 * ({@code sentinel-check-N}, 256 KiB stacks, gone after 30 s idle), queueing the rest: the
 * supervisor runs at most one check per program at a time, so the queue holds at most one check
 * per program. Name lookups, which the JDK cannot time out, wait on as many threads again
 * ({@code sentinel-lookup-N}), used only for names, not addresses (see {@link HostLookup}).
 *
 * <p>{@code done} is called exactly once per run: with the check's result, with a failure in
 * the exception's words if the check threw, or, once the runner is closed, at once with
 * {@code sentinel is shutting down}.
 */
public final class ProbeRunner implements Prober, AutoCloseable {

    /** How long {@link #close} waits for checks under way: an exec check's process group is killed. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final CheckThreads threads;
    private final HostLookup lookup;
    private final HttpProbe http;
    private final TcpProbe tcp;
    private final ExecProbe exec;
    private volatile boolean closed;

    /**
     * @param launcher starts exec checks (Sentinel's own, so they get its session handling and lifelines)
     * @param signaller kills an exec check's process group at its timeout
     * @param maxThreads how many checks may run at once; the rest wait in line
     */
    public ProbeRunner(ProcessLauncher launcher, Signaller signaller, int maxThreads) {
        this.threads = CheckThreads.named("sentinel-check-", maxThreads);
        this.lookup = new HostLookup(CheckThreads.named("sentinel-lookup-", maxThreads));
        Dialer dialer = new Dialer(lookup);
        this.http = new HttpProbe(dialer);
        this.tcp = new TcpProbe(dialer);
        this.exec = new ExecProbe(Objects.requireNonNull(launcher), Objects.requireNonNull(signaller));
    }

    @Override
    public void run(Probe probe, Duration timeout, Consumer<ProbeResult> done) {
        Check check = new Check(Objects.requireNonNull(probe), Objects.requireNonNull(timeout),
                Objects.requireNonNull(done));
        if (closed) {
            check.abandon();
            return;
        }
        try {
            threads.execute(check);
        } catch (RejectedExecutionException e) {
            check.abandon();
        }
    }

    /**
     * Stops taking checks. Those waiting in line fail at once ({@code sentinel is shutting down}); exec
     * checks under way have their process groups killed; http and tcp checks under way end by
     * their own timeouts. Waits up to {@link #CLOSE_WAIT} for the checks under way.
     */
    @Override
    public void close() {
        closed = true;
        for (Runnable waiting : threads.shutdownNow()) {
            ((Check) waiting).abandon();
        }
        lookup.close();
        try {
            threads.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether no check is under way or waiting. A check's thread is busy a moment after its
     * {@code done} (and an exec check's for its kill after a timeout); a check run in that moment
     * gets another thread.
     */
    boolean idle() {
        return threads.getActiveCount() == 0 && threads.getQueue().isEmpty();
    }

    /** One run: started on a check thread, or abandoned if it never got there. */
    private final class Check implements Runnable {
        private final Probe probe;
        private final Duration timeout;
        private final Consumer<ProbeResult> done;
        private final AtomicBoolean claimed = new AtomicBoolean();

        Check(Probe probe, Duration timeout, Consumer<ProbeResult> done) {
            this.probe = probe;
            this.timeout = timeout;
            this.done = done;
        }

        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            Deadline deadline = Deadline.startingNow(timeout);
            Outcome outcome = new Outcome(deadline, done);
            try {
                if (probe instanceof Probe.Http h) {
                    http.check(h, deadline, outcome);
                } else if (probe instanceof Probe.Tcp t) {
                    tcp.check(t, deadline, outcome);
                } else if (probe instanceof Probe.Exec e) {
                    exec.check(e, deadline, outcome);
                }
            } catch (RuntimeException | Error e) {
                outcome.fail(Details.words(e));
                if (e instanceof VirtualMachineError) {
                    throw e;
                }
            } finally {
                // Ignored if the check gave its result, as it should have.
                outcome.fail("the check gave no result");
            }
        }

        void abandon() {
            if (claimed.compareAndSet(false, true)) {
                new Outcome(Deadline.startingNow(Duration.ZERO), done).fail(Details.SHUTTING_DOWN);
            }
        }
    }
}
