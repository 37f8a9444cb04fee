package dev.sentinel.tui;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One program's output with Sentinel's own messages between its lines, in the order they came:
 * what the output pane shows. Sentinel's messages (a warning while the dashboard owns the
 * terminal) are few and matter whichever program is selected, so they are kept once and shown in
 * every program's pane.
 */
final class MergedOutput implements OutputView {

    private final OutputBuffer program;
    private final OutputBuffer sentinel;

    MergedOutput(OutputBuffer program, OutputBuffer sentinel) {
        this.program = program;
        this.sentinel = sentinel;
    }

    @Override
    public int size() {
        return program.size() + sentinel.size();
    }

    @Override
    public long total() {
        return program.total() + sentinel.total();
    }

    @Override
    public List<OutputLine> window(int count, int skip) {
        if (sentinel.size() == 0) {
            return program.window(count, skip);
        }
        if (count <= 0) {
            return List.of();
        }
        int need = count + Math.max(0, skip);
        List<OutputBuffer.Numbered> a = program.newest(need);
        List<OutputBuffer.Numbered> b = sentinel.newest(need);
        // Walk both from the newest end: skip the newest `skip`, then take `count`.
        List<OutputLine> out = new ArrayList<>(count);
        int i = a.size() - 1;
        int j = b.size() - 1;
        int skipped = 0;
        while ((i >= 0 || j >= 0) && out.size() < count) {
            OutputBuffer.Numbered next;
            if (j < 0 || i >= 0 && a.get(i).order() > b.get(j).order()) {
                next = a.get(i--);
            } else {
                next = b.get(j--);
            }
            if (skipped < skip) {
                skipped++;
            } else {
                out.add(next.line());
            }
        }
        Collections.reverse(out);
        return out;
    }
}
