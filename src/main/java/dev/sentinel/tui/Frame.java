package dev.sentinel.tui;

import dev.sentinel.events.Event;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.Snapshot;
import java.util.List;

/**
 * Everything one drawing of the dashboard shows. The history, CPU meter and output are the
 * selected program's, live objects owned by (or safe for) the dashboard thread, which is the
 * only one that draws.
 *
 * @param outputScroll how many lines the output pane is scrolled up (0 follows new output)
 * @param prompt a question waiting for y/n, or null
 * @param status the reply to the last order, or null
 * @param finalReason while Sentinel is about to exit: how the program ended and why; else null
 * @param finalHint while Sentinel is about to exit: when it will (or "press any key"); else null
 * @param quitting q was pressed: the tree is being stopped and Sentinel will exit
 * @param selection the program shown in detail, and whether its tree is shown
 */
record Frame(Snapshot snapshot, RssHistory history, CpuMeter cpu, List<Event> events, OutputView output,
             int outputScroll, boolean help, String prompt, String status, String finalReason, String finalHint,
             boolean quitting, long nowMillis, Selection selection) {

    /** A frame of the first program, its tree hidden. */
    Frame(Snapshot snapshot, RssHistory history, CpuMeter cpu, List<Event> events, OutputView output,
          int outputScroll, boolean help, String prompt, String status, String finalReason, String finalHint,
          boolean quitting, long nowMillis) {
        this(snapshot, history, cpu, events, output, outputScroll, help, prompt, status, finalReason, finalHint,
                quitting, nowMillis, Selection.first());
    }

    /**
     * Whether the dashboard shows the program table: in config mode (programs come and go with a
     * reload, and q stops them all), or whenever there is more than one program.
     */
    boolean manyPrograms() {
        return manyPrograms(snapshot);
    }

    /** As {@link #manyPrograms()}, for a snapshot: the one place the dashboard tells the two layouts apart. */
    static boolean manyPrograms(Snapshot snapshot) {
        return snapshot.info().configMode() || snapshot.programs().size() > 1;
    }

    /** The selected program, or null when there are none. */
    ProgramSnapshot selected() {
        List<ProgramSnapshot> ps = snapshot.programs();
        return ps.isEmpty() ? null : ps.get(selection.index(ps));
    }
}
