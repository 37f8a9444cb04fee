package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class OutputBufferTest {

    private static List<String> texts(List<OutputLine> lines) {
        return lines.stream().map(OutputLine::text).toList();
    }

    @Test
    void keepsTheNewestLinesOldestFirst() {
        OutputBuffer b = new OutputBuffer(3);
        for (int i = 1; i <= 5; i++) {
            b.add(OutputLine.Source.STDOUT, "l" + i);
        }
        assertEquals(List.of("l3", "l4", "l5"), texts(b.window(10, 0)));
        assertEquals(List.of("l4", "l5"), texts(b.window(2, 0)));
        assertEquals(3, b.size());
        assertEquals(5, b.total());
    }

    @Test
    void aWindowScrolledUpEndsEarlier() {
        OutputBuffer b = new OutputBuffer(10);
        for (int i = 1; i <= 6; i++) {
            b.add(i % 2 == 0 ? OutputLine.Source.STDERR : OutputLine.Source.STDOUT, "l" + i);
        }
        assertEquals(List.of("l2", "l3", "l4"), texts(b.window(3, 2)));
        assertEquals(OutputLine.Source.STDERR, b.window(3, 2).get(0).source());
        assertEquals(List.of("l1"), texts(b.window(3, 5)));
        assertEquals(List.of(), texts(b.window(3, 6)));
        assertEquals(List.of(), texts(b.window(0, 0)));
    }

    @Test
    void linesAreSanitisedOnTheWayIn() {
        OutputBuffer b = new OutputBuffer(2);
        b.add(OutputLine.Source.STDOUT, "\u001b[31mred\u001b[0m");
        assertEquals(List.of("red"), texts(b.window(1, 0)));
    }

    @Test
    void twoPumpThreadsLoseNoCount() throws InterruptedException {
        OutputBuffer b = new OutputBuffer(100);
        CountDownLatch go = new CountDownLatch(1);
        Runnable pump = () -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 20_000; i++) {
                b.add(OutputLine.Source.STDOUT, "x");
            }
        };
        Thread t1 = new Thread(pump);
        Thread t2 = new Thread(pump);
        t1.start();
        t2.start();
        go.countDown();
        t1.join();
        t2.join();
        assertEquals(40_000, b.total());
        assertEquals(100, b.window(1000, 0).size());
    }
}
