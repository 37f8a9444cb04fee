package dev.sentinel.tui;

import dev.sentinel.time.Clock;
import dev.sentinel.testing.StandInLoop;
import static dev.sentinel.tui.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyStroke;
import dev.sentinel.core.LoopContext;
import dev.sentinel.core.Snapshot;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.testing.Await;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard thread's pacing: what it draws when, and that a frame that changes nothing writes nothing. */
class DashboardLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final VirtualScreen vs = new VirtualScreen(120, 40);
    private final AtomicLong now = new AtomicLong(T0);
    private final AtomicInteger frames = new AtomicInteger();
    private AtomicInteger flushes;
    private final StatusLine status = new StatusLine();
    private volatile Snapshot latest = Fixtures.snapshot(1, Fixtures.running(56, 100), List.of());
    private DashboardLoop loop;

    /** Orders go nowhere: these tests draw. */
    private final StandInLoop port = StandInLoop.single(Clock.system(), () -> latest, e -> { }, List::of)
            .postingTo(new java.util.ArrayDeque<>());

    private void start() {
        flushes = VirtualScreen.countFlushes(vs.terminal);
        loop = new DashboardLoop(vs.screen, port, new LoopOrders(port, status, now::get),
                new DashboardView(ZoneId.of("UTC")), new OutputRings(), new EventInbox(), status, now::get,
                frames::incrementAndGet, t -> { });
        loop.start();
        Await.until(WAIT, "the first frame", () -> frames.get() >= 1 && vs.contains("app  RUNNING"));
    }

    @AfterEach
    void stop() {
        if (loop != null) {
            loop.restore(1_000);
        }
    }

    /** Moves the dashboard's clock past the idle cadence and waits for the frame it brings. */
    private void nextIdleFrame() {
        int before = frames.get();
        now.addAndGet(DashboardLoop.IDLE_FRAME_MILLIS + 100);
        Await.until(WAIT, "a frame after the clock moved", () -> frames.get() > before);
    }

    /** Presses a key and waits for the frame that answers it. */
    private void pressAndAwaitFrame(char c) {
        int before = frames.get();
        vs.terminal.addInput(new KeyStroke(c, false, false));
        Await.until(WAIT, "a frame after the key", () -> frames.get() > before);
    }

    @Test
    void framesThatChangeNothingWriteNothing() {
        start();
        pressAndAwaitFrame('x');
        int written = flushes.get();
        for (int i = 0; i < 3; i++) {
            // A key without a meaning: a frame, the same screen.
            pressAndAwaitFrame('x');
        }
        assertEquals(written, flushes.get(), "nothing changed on screen, nothing was written");
        pressAndAwaitFrame('?');
        Await.until(WAIT, "the help", () -> vs.contains("? or Esc   close this help"));
        assertEquals(written + 1, flushes.get(), "one write for the change");
        nextIdleFrame();
        assertTrue(flushes.get() > written + 1, "a second later the chart has moved a column: written again");
    }

    @Test
    void aNewStateIsDrawnAtOnceAndTheRestAtTheNextTick() {
        start();
        int before = frames.get();
        latest = Fixtures.snapshot(2, Fixtures.exited(StopReason.STOP), List.of());
        Await.until(WAIT, () -> "the new state without a tick; the screen was\n" + vs.text(),
                () -> vs.line(1).startsWith("app  EXITED"));
        assertNotEquals(before, frames.get());
        status.set("a reply", now.get());
        Await.until(WAIT, () -> "a reply without a tick; the screen was\n" + vs.text(), () -> vs.contains("a reply"));
    }

    @Test
    void theCadenceIsOnceASecondAndFourTimesWhileACountdownRuns() {
        Snapshot idle = Fixtures.configSnapshot(1, Fixtures.manyPrograms(3), List.of());
        Snapshot counting = Fixtures.configSnapshot(1, Fixtures.threePrograms(T0 + 2_000), List.of());
        assertEquals(DashboardLoop.IDLE_FRAME_MILLIS, DashboardLoop.cadence(idle, false));
        assertEquals(DashboardLoop.FRAME_MILLIS, DashboardLoop.cadence(counting, false));
        assertEquals(DashboardLoop.FRAME_MILLIS, DashboardLoop.cadence(idle, true), "the final hold counts down");
    }

    @Test
    void theShapeOfASnapshotChangesWithStatesNotWithSamples() {
        long a = DashboardLoop.shape(Fixtures.snapshot(1, Fixtures.running(56, 100), List.of()));
        assertEquals(a, DashboardLoop.shape(Fixtures.snapshot(2, Fixtures.running(57, 100), List.of())));
        assertNotEquals(a, DashboardLoop.shape(Fixtures.snapshot(2, Fixtures.running(56, 200), List.of())),
                "a new limit");
        assertNotEquals(a, DashboardLoop.shape(Fixtures.snapshot(2, Fixtures.exited(StopReason.STOP), List.of())));
    }
}
