package dev.sentinel.tui;

import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.Snapshot;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.ZoneId;
import java.util.List;

/**
 * Not a test: what one frame of the dashboard costs to draw and write, with N programs of a config
 * file on a virtual terminal, the clock moving a second per frame (so the chart and the
 * countdowns change as they do when idle). It prints the CPU time and the bytes allocated per
 * frame, and how many cells each frame wrote; a measurement to compare two versions on one machine,
 * not a figure to assert. After {@code mvn test-compile}:
 *
 * <pre>
 * java -XX:TieredStopAtLevel=1 -cp target/classes:target/test-classes:$(cat cp.txt) dev.sentinel.tui.RenderCost 50 120 40
 * </pre>
 */
final class RenderCost {

    private RenderCost() {
    }

    public static void main(String[] args) throws IOException {
        int programs = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int columns = args.length > 1 ? Integer.parseInt(args[1]) : 120;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        List<ProgramSnapshot> ps = programs == 1 ? List.of(Fixtures.running(56, 100)) : Fixtures.manyPrograms(programs);
        Snapshot s = programs == 1 ? Fixtures.snapshot(1, ps.get(0), List.of())
                : Fixtures.configSnapshot(1, ps, List.of());
        DashboardView view = new DashboardView(ZoneId.of("UTC"));
        DefaultVirtualTerminal terminal = new DefaultVirtualTerminal(new TerminalSize(columns, rows));
        CellGrid grid = new CellGrid(terminal.getTerminalSize());
        grid.writeTo(terminal, null);
        CellGrid shown = grid.copy();
        RssHistory history = Fixtures.staircase(600);
        TableScroll scroll = new TableScroll();
        String selected = ps.get(ps.size() / 2).name();
        int frames = 2_000;
        for (int round = 0; round < 3; round++) {
            long cpu = bean.getCurrentThreadCpuTime();
            long allocated = bean.getThreadAllocatedBytes(self);
            long cells = 0;
            for (int i = 0; i < frames; i++) {
                long now = Fixtures.T0 + (round * frames + i) * 1_000L;
                Frame f = new Frame(s, history, new CpuMeter(1_000), List.of(), new OutputBuffer(10), 0, false, null,
                        null, null, null, false, now, new Selection(selected, false, scroll));
                grid.clear();
                view.draw(grid.graphics(), f);
                cells += grid.writeTo(terminal, shown);
            }
            cpu = bean.getCurrentThreadCpuTime() - cpu;
            allocated = bean.getThreadAllocatedBytes(self) - allocated;
            System.out.printf("%s %d programs, %dx%d: %.0f us CPU, %d KiB allocated, %d cells written per frame%n",
                    round == 0 ? "warm-up" : "frame  ", programs, columns, rows, cpu / 1e3 / frames,
                    allocated / 1024 / frames, cells / frames);
        }
    }
}
