package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventSink;
import dev.sentinel.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The order between a file's programs: a program with {@code after} or {@code requires} waits
 * (WAITING) until each program it names is ready (or, a one-shot job, ended cleanly); one with
 * {@code requires} is stopped while one of those is down or not ready, and waits for it again.
 * Asked after every turn of the loop; cheap when no program names another. Loop thread only.
 */
final class StartOrder {

    private final Fleet fleet;
    private final EventSink events;
    private final Clock clock;
    private final String self;

    StartOrder(Fleet fleet, EventSink events, Clock clock, String self) {
        this.fleet = fleet;
        this.events = events;
        this.clock = clock;
        this.self = self;
    }

    /** Starts {@code slot}'s program now, or leaves it WAITING for the programs it starts after. */
    void startFirst(ProgramSlot slot) {
        List<String> after = slot.settings.startsAfter();
        if (after.isEmpty() || !slot.settings.autostart()) {
            slot.startFirst();
            return;
        }
        List<String> missing = notReady(after);
        if (missing.isEmpty()) {
            slot.startFirst();
        } else {
            slot.program.hold(String.join(", ", after) + " to be ready");
        }
    }

    /** Releases the programs whose programs are ready, and stops those whose required programs went down. */
    void advance() {
        for (ProgramSlot s : fleet.slots()) {
            List<String> after = s.settings.startsAfter();
            if (after.isEmpty() || s.pending()) {
                continue;
            }
            Program p = s.program;
            if (p.state() == ProgramState.WAITING) {
                List<String> missing = notReady(after);
                if (!missing.isEmpty() && allOver(missing)) {
                    note(p.name() + ": gave up waiting, since " + String.join(", ", missing) + " ended for good");
                    p.onStop(StopReason.REQUIRED);
                } else if (missing.isEmpty()) {
                    note(p.name() + ": " + String.join(", ", after) + (after.size() == 1 ? " is" : " are")
                            + " ready; starting it");
                    p.release();
                }
            } else if (!s.settings.requires().isEmpty()
                    && (p.state() == ProgramState.STARTING || p.state() == ProgramState.RUNNING)) {
                List<String> down = notReady(s.settings.requires());
                if (!down.isEmpty()) {
                    note(p.name() + ": it requires " + String.join(", ", down) + ", which "
                            + (down.size() == 1 ? "is" : "are") + " not ready; stopping it until "
                            + (down.size() == 1 ? "it is" : "they are") + " ready again");
                    p.onStop(StopReason.REQUIRED);
                }
            }
        }
    }

    /** Of {@code names}, those not ready now (a program that is gone from the fleet counts as ready). */
    private List<String> notReady(List<String> names) {
        List<String> out = new ArrayList<>(0);
        for (String n : names) {
            Program d = fleet.program(n);
            if (d != null && !d.isReady() && !d.endedCleanly()) {
                out.add(n);
            }
        }
        return out;
    }

    /** Whether every one of {@code names} ended for good: nothing but an order brings them back. */
    private boolean allOver(List<String> names) {
        for (String n : names) {
            Program d = fleet.program(n);
            if (d == null || !d.isFinished()) {
                return false;
            }
        }
        return true;
    }

    private void note(String message) {
        events.emit(new Event(clock.epochMillis(), self, 0, EventKind.ORDER, message, Map.of()));
    }
}
