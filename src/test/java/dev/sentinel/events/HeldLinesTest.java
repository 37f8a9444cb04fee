package dev.sentinel.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The journal's retry logic with a sink that fails when told to and a clock moved by hand. */
class HeldLinesTest {

    private static final long SECOND = 1_000_000_000L;

    private long now = 5 * SECOND;
    private boolean full;
    private int attempts;
    private final List<String> file = new ArrayList<>();
    private final List<String> reports = new ArrayList<>();

    private HeldLines lines(int capacity) {
        return new HeldLines(capacity, SECOND, () -> now, line -> {
            attempts++;
            if (full) {
                throw new IOException("No space left on device");
            }
            file.add(new String(line, StandardCharsets.UTF_8));
        }, new HeldLines.Reports() {
            @Override
            public void failed(String reason) {
                reports.add("failed: " + reason);
            }

            @Override
            public void recovered(long written, long dropped) {
                reports.add("recovered: " + written + " written, " + dropped + " dropped");
            }
        });
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesAreWrittenAsTheyComeWhileAllIsWell() {
        HeldLines h = lines(10);
        h.add(b("a"));
        h.add(b("b"));
        assertEquals(List.of("a", "b"), file);
        assertFalse(h.holding());
        assertEquals(List.of(), reports);
    }

    @Test
    void aFailureIsToldOnceTheLinesAreHeldAndWrittenInOrderWhenTheFileComesBack() {
        HeldLines h = lines(10);
        h.add(b("a"));
        full = true;
        h.add(b("b"));
        h.add(b("c"));
        now += SECOND / 2;
        h.add(b("d"));
        h.tick();
        assertEquals(1, attempts - 1, "one failed write until the retry time: a full disk costs one write a second");
        assertEquals(3, h.held());
        now += SECOND;
        h.tick();
        assertEquals(3, attempts, "tried again once the second was up");
        assertEquals(List.of("failed: No space left on device"), reports, "said once");
        full = false;
        h.tick();
        assertEquals(3, attempts, "not before the next retry time");
        now += SECOND;
        h.add(b("e"));
        assertEquals(List.of("a", "b", "c", "d", "e"), file, "held lines first, in order, then the new one");
        assertEquals(List.of("failed: No space left on device", "recovered: 4 written, 0 dropped"), reports);
        assertFalse(h.holding());
        h.add(b("f"));
        assertEquals("f", file.get(5), "written at once again");
    }

    @Test
    void beyondTheBoundTheNewestAreDroppedAndCountedAndTheCountIsToldAtTheRecovery() {
        HeldLines h = lines(3);
        full = true;
        for (int i = 0; i < 10; i++) {
            h.add(b("l" + i));
        }
        assertEquals(3, h.held(), "memory stays bounded");
        assertEquals(7, h.dropped());
        h.droppedBefore(2);
        full = false;
        now += SECOND;
        h.tick();
        assertEquals(List.of("l0", "l1", "l2"), file, "an unbroken run up to the first drop");
        assertEquals("recovered: 3 written, 9 dropped", reports.get(1));
        assertEquals(0, h.dropped(), "counted afresh for the next failure");
        full = true;
        now += SECOND;
        h.add(b("x"));
        assertEquals(3, reports.size(), "a second failure is told again: " + reports);
        assertTrue(h.failing());
    }

    @Test
    void theLastTryAtTheEndDoesNotWaitForTheRetryTime() {
        HeldLines h = lines(10);
        full = true;
        h.add(b("a"));
        full = false;
        h.tick();
        assertEquals(List.of(), file, "not yet: within the retry time");
        h.lastTry();
        assertEquals(List.of("a"), file);
    }

    @Test
    void aSinkThatThrowsARuntimeExceptionIsAFailureToo() {
        HeldLines h = new HeldLines(5, SECOND, () -> now, line -> {
            throw new IllegalStateException("closed");
        }, new HeldLines.Reports() {
            @Override
            public void failed(String reason) {
                reports.add(reason);
            }

            @Override
            public void recovered(long written, long dropped) {
                reports.add("recovered");
            }
        });
        h.add(b("a"));
        assertEquals(List.of("closed"), reports);
        assertTrue(h.holding());
    }
}
