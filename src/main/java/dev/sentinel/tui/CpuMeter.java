package dev.sentinel.tui;

import dev.sentinel.platform.ProcessSample;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU % per process, from the CPU ticks of successive snapshots. A rate is taken over at least
 * {@code windowMillis}, because ticks are 1/100 s: over a shorter window one tick more or less
 * would swing the figure wildly. Used by the dashboard thread only.
 */
final class CpuMeter {

    /** A process is its pid plus its start time: pids are reused. */
    private record Key(long pid, long startTicks) {
    }

    private static final class Reading {
        long ticks;
        long millis;
        double percent = Double.NaN;

        Reading(long ticks, long millis) {
            this.ticks = ticks;
            this.millis = millis;
        }
    }

    private final long windowMillis;
    private final Map<Key, Reading> readings = new HashMap<>();

    CpuMeter(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /** Takes the processes of one snapshot taken at {@code epochMillis}. */
    void record(List<ProcessSample> processes, long epochMillis) {
        Set<Key> seen = new HashSet<>();
        for (ProcessSample p : processes) {
            Key k = new Key(p.pid(), p.startTicks());
            seen.add(k);
            Reading r = readings.get(k);
            if (r == null) {
                readings.put(k, new Reading(p.cpuTicks(), epochMillis));
            } else if (epochMillis < r.millis) {
                // The wall clock stepped back: the window starts again here rather than waiting
                // for the clock to catch up with the reading.
                r.ticks = p.cpuTicks();
                r.millis = epochMillis;
            } else if (epochMillis - r.millis >= windowMillis) {
                long dt = epochMillis - r.millis;
                r.percent = Math.max(0, (p.cpuTicks() - r.ticks) * 10.0 * 100 / dt);
                r.ticks = p.cpuTicks();
                r.millis = epochMillis;
            }
        }
        readings.keySet().retainAll(seen);
    }

    /** CPU % of one core used by {@code p} recently, or NaN before a rate is known. */
    double percent(ProcessSample p) {
        Reading r = readings.get(new Key(p.pid(), p.startTicks()));
        return r == null ? Double.NaN : r.percent;
    }
}
