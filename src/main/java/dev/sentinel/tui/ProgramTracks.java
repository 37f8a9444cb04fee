package dev.sentinel.tui;

import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.Snapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link ProgramTrack} per program, made when a program first appears and dropped when it is
 * gone (a reload removed it). The chart's history is bounded per program, and shorter when there
 * are many: {@value #TOTAL_POINTS} points shared, between {@value #MIN_POINTS} and
 * {@value #MAX_POINTS} each (a point a frame, at most two a second: an idle dashboard's
 * {@value #MIN_POINTS} cover 20 minutes, busy at least 10); the chart's slot grows so whatever is
 * kept fits. Dashboard thread only.
 */
final class ProgramTracks {

    static final int MAX_POINTS = 7_200;
    static final int MIN_POINTS = 1_200;
    static final int TOTAL_POINTS = 28_800;

    private final Map<String, ProgramTrack> tracks = new HashMap<>();
    private long lastSequence = -1;

    /**
     * Takes {@code s} if it is new, and notes at {@code nowMillis} the trees that are gone;
     * {@code withCpu} names the program whose CPU per process is wanted (its tree is shown), or null.
     */
    void update(Snapshot s, long nowMillis, String withCpu) {
        List<ProgramSnapshot> programs = s.programs();
        boolean fresh = s.sequence() != lastSequence;
        lastSequence = s.sequence();
        for (ProgramSnapshot p : programs) {
            ProgramTrack t = of(p.name(), programs.size());
            if (fresh) {
                t.see(p, s.epochMillis(), p.name().equals(withCpu));
            }
            t.noteGone(p, nowMillis);
        }
        if (tracks.size() > programs.size()) {
            Set<String> names = new HashSet<>();
            for (ProgramSnapshot p : programs) {
                names.add(p.name());
            }
            tracks.keySet().retainAll(names);
        }
    }

    /** The track of {@code name}, made if there is none yet. */
    ProgramTrack of(String name, int programs) {
        return tracks.computeIfAbsent(name, n -> new ProgramTrack(pointsEach(programs)));
    }

    int size() {
        return tracks.size();
    }

    static int pointsEach(int programs) {
        return Math.max(MIN_POINTS, Math.min(MAX_POINTS, TOTAL_POINTS / Math.max(1, programs)));
    }
}
