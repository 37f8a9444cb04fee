package dev.sentinel.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Receives the signals sent to Sentinel itself. The handler runs on a JVM signal thread and
 * must only hand the signal over (to the supervisor loop's queue).
 *
 * <p>SIGQUIT cannot be trapped: HotSpot keeps it for thread dumps, with or without -Xrs.
 */
public final class SignalTrap {

    public static final List<Signal> FORWARDABLE =
            List.of(Signal.INT, Signal.TERM, Signal.HUP, Signal.USR1, Signal.USR2);

    private SignalTrap() {
    }

    /** Installs {@code handler} for each trappable signal; returns the ones that were installed. */
    public static List<Signal> install(Consumer<Signal> handler) {
        List<Signal> installed = new ArrayList<>();
        for (Signal s : FORWARDABLE) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(s.name()), sig -> handler.accept(s));
                installed.add(s);
            } catch (IllegalArgumentException e) {
                // Taken by the VM or ignored by our parent (nohup): leave it as it is.
            }
        }
        return installed;
    }
}
