package dev.sentinel.tui;

import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.RunRecord;

/**
 * What the dashboard remembers of one program between snapshots: its RSS over time with the
 * restarts marked (for the chart) and its processes' CPU ticks (for CPU % in its process table).
 * Dashboard thread only.
 */
final class ProgramTrack {

    /** How close two points of the chart's history may be before they merge. */
    static final long SPACING_MILLIS = 500;

    private final RssHistory history;
    private final CpuMeter cpu = new CpuMeter(1_000);
    /** The newest run whose start the chart knows of (1 is the first start, not a restart). */
    private int markedRun;
    private long lastPid;
    /** The run's peak RSS as the last snapshot seen said, and which run that was. */
    private long lastPeak;
    private int peakRun = -1;
    private long peakPid = -1;

    ProgramTrack(int historyPoints) {
        this.history = new RssHistory(historyPoints, SPACING_MILLIS);
    }

    RssHistory history() {
        return history;
    }

    CpuMeter cpu() {
        return cpu;
    }

    /**
     * Takes a snapshot of the program published at {@code epochMillis}; its CPU only if wanted (its
     * tree shows). The dashboard sees one snapshot a frame, not every sample: a new peak of the run
     * since the last one it saw happened in between, and the chart shows it (a column is the
     * highest RSS of its slot).
     */
    void see(ProgramSnapshot p, long epochMillis, boolean withCpu) {
        noteRestarts(p);
        if (p.restart().run() != peakRun || p.pid() != peakPid) {
            peakRun = p.restart().run();
            peakPid = p.pid();
            lastPeak = 0;
        }
        long rss = p.rssBytes();
        if (p.peakRssBytes() > lastPeak && p.isUp()) {
            rss = Math.max(rss, p.peakRssBytes());
        }
        lastPeak = Math.max(lastPeak, p.peakRssBytes());
        history.record(epochMillis, rss);
        if (withCpu) {
            cpu.record(p.processes(), epochMillis);
        }
    }

    /**
     * The tree is gone (BACKOFF, or over) and the loop may publish nothing for a while: it sleeps
     * through a backoff. The chart shows 0 meanwhile, not the last run's RSS carried on.
     */
    void noteGone(ProgramSnapshot p, long nowMillis) {
        if (p.pid() != 0 && !p.isUp()) {
            history.record(nowMillis, 0);
        }
    }

    /**
     * Marks on the chart each run that started since the last snapshot seen, at the time it
     * started. The history names every run, so runs that came and went between two frames (a
     * crash loop without delay) are marked too; a snapshot without history shows a restart only as
     * a new pid.
     */
    private void noteRestarts(ProgramSnapshot p) {
        if (p.history().isEmpty()) {
            if (p.pid() != 0 && lastPid != 0 && p.pid() != lastPid) {
                history.restartAt(p.startedEpochMillis());
            }
        } else {
            for (RunRecord r : p.history()) {
                if (r.run() > markedRun) {
                    markedRun = r.run();
                    if (r.run() > 1) {
                        history.restartAt(r.startedEpochMillis());
                    }
                }
            }
        }
        if (p.pid() != 0) {
            lastPid = p.pid();
        }
    }
}
