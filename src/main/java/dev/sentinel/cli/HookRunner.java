package dev.sentinel.cli;

import dev.sentinel.text.Durations;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventJson;
import dev.sentinel.events.EventSink;
import dev.sentinel.settings.HookSettings;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.metrics.HookStats;
import dev.sentinel.platform.Child;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.OutputSink;
import dev.sentinel.platform.ProcessLauncher;
import dev.sentinel.platform.Signal;
import dev.sentinel.platform.Signaller;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Runs each program's event hook: for every lifecycle event of the kinds it asks for, its command
 * with {@code sh -c}, the event as one JSON line (the journal's) on its stdin and in
 * {@code SENTINEL_*} variables. Told of events on the supervisor loop, it only queues them: the
 * hooks run on threads of their own, one at a time per program, each within its timeout (then
 * SIGTERM, then SIGKILL to its process group), so a hook never delays a sample or a kill. A
 * program's queue holds {@link #QUEUE} events; beyond that events are dropped and counted.
 *
 * <p>Hooks are started by the same launcher as the programs (their own session and process group,
 * a lifeline, and the subreaper leaves them to the JDK).
 */
final class HookRunner implements EventSink, HookStats, AutoCloseable {

    /** Events waiting per program while its hook runs. */
    static final int QUEUE = 8;
    /** After SIGTERM, how long a hook has before SIGKILL. */
    static final Duration KILL_AFTER = Duration.ofSeconds(2);
    /** Feeds the event to the user's command on its stdin; the command is "$1", run by its own sh -c. */
    static final String FEED = "printf '%s\\n' \"$SENTINEL_EVENT_JSON\" | sh -c \"$1\"";

    private final ProcessLauncher launcher;
    private final Signaller signaller;
    private final EventJson json;
    private final Function<String, OutputSink> output;
    private final BiConsumer<String, String> warn;
    private final ExecutorService threads;
    private final Map<String, ProgramHooks> programs = new HashMap<>();

    /** One program's hook: its settings, its queue, and what became of its runs. */
    private static final class ProgramHooks {
        volatile HookSettings settings;
        volatile Path cwd;
        volatile Map<String, String> env = Map.of();
        final ArrayDeque<Event> queue = new ArrayDeque<>();
        boolean running;
        final AtomicLong dropped = new AtomicLong();
        final Map<String, AtomicLong> runs = new LinkedHashMap<>();

        ProgramHooks() {
            for (String result : List.of("ok", "failed", "timeout", "unstartable")) {
                runs.put(result, new AtomicLong());
            }
        }
    }

    /**
     * @param output where a program's hook output goes (its lines are prefixed {@code hook[NAME]})
     * @param warn told (program, sentence) of a hook that failed, ran over, could not start, or an
     *             event dropped; from any thread
     */
    HookRunner(ProcessLauncher launcher, Signaller signaller, EventJson json, Function<String, OutputSink> output,
               BiConsumer<String, String> warn) {
        this.launcher = launcher;
        this.signaller = signaller;
        this.json = json;
        this.output = output;
        this.warn = warn;
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "sentinel-hook");
                    t.setDaemon(true);
                    return t;
                });
        this.threads = pool;
    }

    /** The program's hook from now on (its first spec, or a reload's). */
    synchronized void configure(ProgramSettings spec) {
        ProgramHooks h = programs.computeIfAbsent(spec.name(), n -> new ProgramHooks());
        h.settings = spec.hook();
        h.cwd = spec.cwd();
        h.env = spec.env();
    }

    /** Events dropped for {@code program} because its queue was full. */
    synchronized long dropped(String program) {
        ProgramHooks h = programs.get(program);
        return h == null ? 0 : h.dropped.get();
    }

    /** Hook runs of {@code program} by result: ok, failed, timeout, unstartable. */
    synchronized Map<String, Long> runs(String program) {
        ProgramHooks h = programs.get(program);
        Map<String, Long> out = new LinkedHashMap<>();
        if (h != null) {
            h.runs.forEach((k, v) -> out.put(k, v.get()));
        }
        return out;
    }

    @Override
    public synchronized Map<String, Map<String, Long>> runs() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        programs.forEach((name, h) -> {
            if (h.settings != null && h.settings.isSet()) {
                out.put(name, runs(name));
            }
        });
        return out;
    }

    @Override
    public synchronized Map<String, Long> dropped() {
        Map<String, Long> out = new LinkedHashMap<>();
        programs.forEach((name, h) -> {
            if (h.settings != null && h.settings.isSet()) {
                out.put(name, h.dropped.get());
            }
        });
        return out;
    }

    @Override
    public void emit(Event event) {
        ProgramHooks h;
        synchronized (this) {
            h = programs.get(event.program());
            if (h == null || h.settings == null || !h.settings.runsFor(event.kind())) {
                return;
            }
            if (h.running) {
                if (h.queue.size() >= QUEUE) {
                    h.dropped.incrementAndGet();
                    warn.accept(event.program(), "hook queue full (" + QUEUE + " events waiting): dropped the "
                            + event.kind().label() + " event of run " + event.run() + "; "
                            + h.dropped.get() + " dropped so far");
                    return;
                }
                h.queue.add(event);
                return;
            }
            h.running = true;
        }
        ProgramHooks hooks = h;
        threads.execute(() -> drain(event, hooks));
    }

    /** Runs {@code first}, then whatever queued up meanwhile, one at a time. */
    private void drain(Event first, ProgramHooks h) {
        Event next = first;
        while (next != null) {
            run(next, h);
            synchronized (this) {
                next = h.queue.poll();
                if (next == null) {
                    h.running = false;
                    notifyAll();
                }
            }
        }
    }

    private void run(Event event, ProgramHooks h) {
        HookSettings settings = h.settings;
        String name = event.program();
        String kind = event.kind().label();
        Map<String, String> env = new HashMap<>(h.env);
        env.put("SENTINEL_EVENT", kind);
        env.put("SENTINEL_NAME", name);
        env.put("SENTINEL_PID", field(event, "pid"));
        env.put("SENTINEL_RSS_BYTES", field(event, "rss_bytes"));
        env.put("SENTINEL_LIMIT_BYTES", field(event, "limit_bytes"));
        env.put("SENTINEL_EXIT_STATUS", field(event, "exit_status"));
        env.put("SENTINEL_REASON", field(event, "reason"));
        env.put("SENTINEL_MESSAGE", event.message());
        env.put("SENTINEL_EVENT_JSON", json.line(event));
        String prefix = "hook[" + name + "] ";
        OutputSink sink = output.apply(name);
        OutputSink prefixed = new OutputSink() {
            @Override
            public void line(Stream stream, String text) {
                sink.line(Stream.STDERR, prefix + text);
            }
        };
        Child child;
        try {
            child = launcher.launch(new LaunchSpec(List.of("/bin/sh", "-c", FEED, "sentinel-hook", settings.command()),
                    prefixed, h.cwd, env, false));
        } catch (LaunchException e) {
            h.runs.get("unstartable").incrementAndGet();
            warn.accept(name, "the hook for the " + kind + " event cannot be started: " + e.getMessage()
                    + "; guarding goes on");
            return;
        }
        CompletableFuture<Void> ended = new CompletableFuture<>();
        child.onExit(() -> ended.complete(null));
        boolean overran = !awaitEnd(ended, settings.timeout());
        if (overran) {
            h.runs.get("timeout").incrementAndGet();
            warn.accept(name, "the hook for the " + kind + " event ran over its " + Durations.format(
                    settings.timeout()) + ": sent SIGTERM to its process group");
            signaller.signalGroup(child.pgid(), Signal.TERM);
            if (!awaitEnd(ended, KILL_AFTER)) {
                signaller.signalGroup(child.pgid(), Signal.KILL);
                awaitEnd(ended, KILL_AFTER);
            }
        }
        // Its leftovers (anything it started in the background) go with it.
        signaller.signalGroup(child.pgid(), Signal.KILL);
        child.release();
        int status = child.exitStatus().orElse(-1);
        if (!overran && status != 0) {
            h.runs.get("failed").incrementAndGet();
            warn.accept(name, "the hook for the " + kind + " event exited with status "
                    + Signal.describeExitStatus(status));
        } else if (!overran) {
            h.runs.get("ok").incrementAndGet();
        }
    }

    private static boolean awaitEnd(CompletableFuture<Void> ended, Duration within) {
        try {
            ended.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return true;
        }
    }

    private static String field(Event e, String key) {
        Object v = e.fields().get(key);
        return v == null ? "" : v.toString();
    }

    /**
     * Waits until every queued and running hook has finished (each within its timeout), so that
     * the hooks of Sentinel's last events (the exited event of a memory stop) run before it exits.
     */
    void finish() {
        synchronized (this) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (programs.values().stream().anyMatch(h -> h.running)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
    }

    @Override
    public void close() {
        threads.shutdown();
    }
}
