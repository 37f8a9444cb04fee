package dev.sentinel.cli;

import dev.sentinel.core.program.HealthLinks;
import dev.sentinel.core.program.NotifyInbox;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.ProcessLauncher;
import dev.sentinel.platform.Signaller;
import dev.sentinel.platform.health.NotifyReceiver;
import dev.sentinel.platform.health.NotifySockets;
import dev.sentinel.platform.health.ProbeRunner;
import dev.sentinel.settings.ProgramSettings;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * What each program's health needs from Sentinel: one check runner for all programs (its threads
 * bounded, made with the first check), and for a program with {@code ready = "notify"} its own
 * notify socket (one receiving thread for all) with {@code NOTIFY_SOCKET}, and with a watchdog
 * {@code WATCHDOG_USEC} and {@code WATCHDOG_PID}, in its environment. Neither costs a thread
 * while no program asks for it.
 */
final class ProgramHealth implements AutoCloseable {

    /** Checks that run at once, at most: fifty programs checked every second still need no more. */
    static final int CHECK_THREADS = 8;

    private final ProcessLauncher launcher;
    private final Signaller signaller;
    private final String prefix;
    private final BiConsumer<String, String> warn;
    private ProbeRunner probes;
    private NotifyReceiver receiver;
    /** By program name: a reload that replaces a program closes its old socket. */
    private final Map<String, NotifySockets.Endpoint> endpoints = new HashMap<>();
    private int sockets;

    /** @param warn says that a program's notify socket could not be made (name, sentence) */
    ProgramHealth(ProcessLauncher launcher, Signaller signaller, long sentinelPid, BiConsumer<String, String> warn) {
        this.launcher = launcher;
        this.signaller = signaller;
        this.prefix = "sentinel-" + sentinelPid + "-";
        this.warn = warn;
    }

    /** The program's links, and its launch with the variables they need. */
    record Wired(HealthLinks links, LaunchSpec launch) {
    }

    /** @param launch the program's launch, or null when only its links are wanted (a check changed in place) */
    synchronized Wired wire(ProgramSettings spec, LaunchSpec launch) {
        ProbeRunner prober = null;
        if (spec.health().check().isSet()) {
            if (probes == null) {
                probes = new ProbeRunner(launcher, signaller, CHECK_THREADS);
            }
            prober = probes;
        }
        if (launch == null) {
            return new Wired(new HealthLinks(prober, null, null), null);
        }
        NotifySockets.Endpoint old = endpoints.remove(spec.name());
        if (old != null) {
            old.close();
        }
        if (!spec.health().notifies()) {
            return new Wired(new HealthLinks(prober, null, null), launch);
        }
        if (receiver == null) {
            receiver = new NotifyReceiver();
        }
        NotifyInbox inbox = new NotifyInbox();
        String address = address(spec.name());
        try {
            NotifySockets.Endpoint endpoint = receiver.open(address, inbox);
            endpoints.put(spec.name(), endpoint);
        } catch (IOException e) {
            warn.accept(spec.name(), "no notify socket for " + spec.name() + " (" + e.getMessage() + "); it will "
                    + "not be ready until it has one");
            return new Wired(new HealthLinks(prober, null, null), launch);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("NOTIFY_SOCKET", address);
        String pidVariable = null;
        if (!spec.health().watchdog().isZero()) {
            env.put("WATCHDOG_USEC", Long.toString(spec.health().watchdog().toNanos() / 1000));
            pidVariable = "WATCHDOG_PID";
        }
        return new Wired(new HealthLinks(prober, inbox, address), launch.withEnv(env, pidVariable));
    }

    /**
     * An abstract socket ({@code @sentinel-PID-NAME-N}): no file to leave behind, whatever ends
     * Sentinel. The count keeps a reloaded program's new socket apart from its old one.
     */
    private String address(String name) {
        String n = name.length() > 60 ? name.substring(0, 60) : name;
        return "@" + prefix + n + "-" + (++sockets);
    }

    @Override
    public synchronized void close() {
        endpoints.values().forEach(NotifySockets.Endpoint::close);
        endpoints.clear();
        if (receiver != null) {
            receiver.close();
        }
        if (probes != null) {
            probes.close();
        }
    }
}
