package dev.sentinel.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WakeupTest {

    private static final long LONG = TimeUnit.SECONDS.toNanos(20);

    @Test
    void aWakeBeforeTheWaitIsKept() {
        Wakeup w = new Wakeup();
        w.wake();
        long t0 = System.nanoTime();
        w.await(LONG);
        assertTrue(System.nanoTime() - t0 < LONG / 2, "the kept wake-up ended the wait");
    }

    @Test
    void aWakeIsUsedOnce() {
        Wakeup w = new Wakeup();
        w.wake();
        w.await(LONG);
        long t0 = System.nanoTime();
        w.await(TimeUnit.MILLISECONDS.toNanos(50));
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(50), "the second wait slept its time");
    }

    @Test
    void anotherThreadEndsTheWait() throws Exception {
        Wakeup w = new Wakeup();
        CountDownLatch waiting = new CountDownLatch(1);
        CountDownLatch woke = new CountDownLatch(1);
        Thread loop = new Thread(() -> {
            waiting.countDown();
            w.await(LONG);
            woke.countDown();
        });
        loop.start();
        waiting.await();
        w.wake();
        assertTrue(woke.await(10, TimeUnit.SECONDS), "the wait ended on wake()");
        loop.join();
    }

    @Test
    void aZeroOrNegativeWaitReturnsAtOnce() {
        Wakeup w = new Wakeup();
        w.await(0);
        w.await(-5);
    }
}
