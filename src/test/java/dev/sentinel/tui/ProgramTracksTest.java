package dev.sentinel.tui;

import static dev.sentinel.tui.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.Snapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgramTracksTest {

    @Test
    void eachProgramHasItsOwnHistoryMadeWhenItAppearsAndDroppedWhenItIsGone() {
        ProgramTracks tracks = new ProgramTracks();
        List<ProgramSnapshot> three = Fixtures.threePrograms(T0 + 2_000);
        tracks.update(Fixtures.configSnapshot(1, three, List.of()), T0, null);
        assertEquals(3, tracks.size());
        ProgramTrack web = tracks.of("web", 3);
        assertSame(web, tracks.of("web", 3));
        assertNotSame(web.history(), tracks.of("worker", 3).history());
        assertEquals(1, web.history().size(), "the first snapshot's RSS");
        tracks.update(Fixtures.configSnapshot(1, three, List.of()), T0 + 1_000, null);
        assertEquals(1, web.history().size(), "the same snapshot is taken once");
        tracks.update(new Snapshot(2, T0 + 2_000, Fixtures.CONFIG_INFO, three.subList(0, 2), List.of()), T0 + 2_000,
                null);
        assertEquals(2, tracks.size(), "cron is gone");
        assertEquals(2, web.history().size());
    }

    @Test
    void theHistoryIsShorterWhenThereAreMany() {
        assertEquals(ProgramTracks.MAX_POINTS, ProgramTracks.pointsEach(1));
        assertEquals(ProgramTracks.MAX_POINTS, ProgramTracks.pointsEach(4));
        assertEquals(2_880, ProgramTracks.pointsEach(10));
        assertEquals(ProgramTracks.MIN_POINTS, ProgramTracks.pointsEach(50));
    }

    private static ProgramSnapshot sampled(long rssMib, long peakMib) {
        ProgramSnapshot p = Fixtures.running(rssMib, 100);
        ProgramSnapshot.Run r = p.run();
        return new ProgramSnapshot(p.settings(), p.state(), p.limit(),
                new ProgramSnapshot.Run(r.pid(), rssMib * Fixtures.MIB, peakMib * Fixtures.MIB, r.processes(),
                        r.cpuSeconds(), r.startedEpochMillis(), r.uptimeMillis(), r.exitStatus(),
                        r.growthBytesPerSecond()),
                p.ledger(), p.kernel());
    }

    @Test
    void aPeakBetweenTwoFramesIsOnTheChart() {
        ProgramTrack t = new ProgramTrack(100);
        t.see(sampled(40, 40), T0, false);
        // Between the frames a sample saw 90 MiB; the next snapshot the dashboard sees is back at 45.
        t.see(sampled(45, 90), T0 + 1_000, false);
        t.see(sampled(44, 90), T0 + 2_000, false);
        assertArrayEquals(new long[] {40 * Fixtures.MIB, 90 * Fixtures.MIB, 44 * Fixtures.MIB},
                t.history().columns(T0 + 2_000, 3, 1_000));
    }
}
