package dev.sentinel.tui;

import dev.sentinel.core.Event;
import dev.sentinel.core.Snapshot;
import java.util.List;

/**
 * Everything one drawing of the dashboard shows. The history, CPU meter and output buffer are
 * live objects owned by (or safe for) the dashboard thread, which is the only one that draws.
 *
 * @param outputScroll how many lines the output pane is scrolled up (0 follows new output)
 * @param prompt a question waiting for y/n, or null
 * @param status the reply to the last order, or null
 * @param finalReason while Sentinel is about to exit: how the program ended and why; else null
 * @param finalHint while Sentinel is about to exit: when it will (or "press any key"); else null
 * @param quitting q was pressed: the tree is being stopped and Sentinel will exit
 */
record Frame(Snapshot snapshot, RssHistory history, CpuMeter cpu, List<Event> events, OutputBuffer output,
             int outputScroll, boolean help, String prompt, String status, String finalReason, String finalHint,
             boolean quitting,
             long nowMillis) {
}
