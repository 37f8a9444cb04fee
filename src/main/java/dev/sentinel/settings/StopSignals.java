package dev.sentinel.settings;

import dev.sentinel.platform.Signal;
import java.util.EnumSet;
import java.util.Set;

/** The signals a program may be stopped with: those supervisord allows, less SIGKILL (it always comes last). */
final class StopSignals {

    static final Set<Signal> ALLOWED = EnumSet.of(Signal.TERM, Signal.INT, Signal.HUP, Signal.QUIT, Signal.USR1,
            Signal.USR2);
    static final String ACCEPTED = "TERM, INT, HUP, QUIT, USR1 or USR2 (SIGTERM etc. too)";

    private StopSignals() {
    }

    /** {@code TERM}, {@code SIGINT}, {@code hup}, {@code 15}; IllegalArgumentException with one sentence otherwise. */
    static Signal parse(String word) {
        Signal signal = Signal.parse(word).orElse(null);
        if (signal == Signal.KILL) {
            throw new IllegalArgumentException("SIGKILL cannot be the stop signal, since it is the last tier that "
                    + "follows the grace period; use " + ACCEPTED + ".");
        }
        if (signal == null || !ALLOWED.contains(signal)) {
            throw new IllegalArgumentException("'" + word + "' is not a stop signal; use " + ACCEPTED + ".");
        }
        return signal;
    }
}
