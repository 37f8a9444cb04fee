package dev.sentinel.platform.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The check pool grows only when every thread is busy, never past its bound, and empties when idle. */
class CheckThreadsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private CheckThreads pool;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void tasksThatDoNotOverlapShareOneThread() {
        pool = CheckThreads.named("t-", 4);
        Set<String> names = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 10; i++) {
            pool.execute(() -> names.add(Thread.currentThread().getName()));
            int done = i + 1;
            // Not merely ran: finished, its thread free again (tasks an interval apart, not back to back).
            Await.until(WAIT, "task " + done, () -> pool.getCompletedTaskCount() == done);
        }

        assertEquals(Set.of("t-1"), names);
        assertEquals(1, pool.getLargestPoolSize());
    }

    @Test
    void busyThreadsMakeItGrowUpToItsBoundAndTheRestWaitInLine() {
        pool = CheckThreads.named("t-", 3);
        AtomicInteger finished = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            pool.execute(() -> {
                await(release);
                finished.incrementAndGet();
            });
        }

        Await.until(WAIT, "three threads busy", () -> pool.getActiveCount() == 3);
        assertEquals(47, pool.getQueue().size());
        release.countDown();
        Await.until(WAIT, "all 50 done", () -> finished.get() == 50);
        assertEquals(3, pool.getLargestPoolSize());
    }

    @Test
    void threadsAreSmallDaemonsThatGoWhenIdle() {
        pool = CheckThreads.named("t-", 2, Duration.ofMillis(100));
        AtomicInteger daemons = new AtomicInteger();
        pool.execute(() -> {
            if (Thread.currentThread().isDaemon()) {
                daemons.incrementAndGet();
            }
        });

        Await.until(WAIT, "the task ran", () -> pool.getCompletedTaskCount() == 1);
        assertEquals(1, daemons.get());
        Await.until(WAIT, "the idle thread gone", () -> pool.getPoolSize() == 0);
    }

    @Test
    void aShutDownPoolRefuses() {
        pool = CheckThreads.named("t-", 2);
        pool.shutdown();

        assertThrows(RejectedExecutionException.class, () -> pool.execute(() -> { }));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
