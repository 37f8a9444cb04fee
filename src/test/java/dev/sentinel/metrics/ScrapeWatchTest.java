package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ScrapeWatchTest {

    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(100 * SECOND);
    private final ScrapeWatch watch = new ScrapeWatch(clock::get);

    private void scrapeAt(long nanos, long sequence) {
        clock.set(nanos);
        watch.collecting(sequence);
        watch.exchangeDone();
    }

    private CompletableFuture<Boolean> awaitAsync(long sequence, Duration max) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return watch.awaitDelivered(sequence, max);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void withoutRegularScrapesNothingWaits() throws Exception {
        assertFalse(watch.awaitDelivered(5, Duration.ofMinutes(10)), "never scraped: return at once");
        scrapeAt(100 * SECOND, 1);
        assertFalse(watch.awaitDelivered(5, Duration.ofMinutes(10)), "one scrape is no rhythm: return at once");
    }

    @Test
    void anExchangeCountsOnlyOnceItIsDone() {
        watch.collecting(3);
        assertEquals(-1, watch.deliveredSequence());
        watch.exchangeDone();
        assertEquals(3, watch.deliveredSequence());
        // A task that collected nothing (a /-/healthy request, the server's start) is no scrape.
        watch.exchangeDone();
        assertEquals(1, watch.scrapes());
    }

    @Test
    void waitsForTheNextScrapeOfARegularScraper() throws Exception {
        scrapeAt(100 * SECOND, 1);
        scrapeAt(105 * SECOND, 2);
        clock.set(106 * SECOND);
        CompletableFuture<Boolean> waited = awaitAsync(7, Duration.ofSeconds(30));
        // The clock stands still, so the wait cannot time out: only a delivery ends it.
        assertFalse(waited.isDone());
        CompletableFuture.runAsync(() -> scrapeAt(110 * SECOND, 7)).get(5, TimeUnit.SECONDS);
        assertTrue(waited.get(10, TimeUnit.SECONDS));
    }

    @Test
    void givesUpAboutOneIntervalAfterTheLastScrape() throws Exception {
        scrapeAt(100 * SECOND, 1);
        scrapeAt(105 * SECOND, 2);
        clock.set(106 * SECOND);
        CompletableFuture<Boolean> waited = awaitAsync(3, Duration.ofSeconds(30));
        assertFalse(waited.isDone());
        // Due at 110 s, plus a quarter interval of slack: at 112 s the scraper is overdue.
        clock.set(112 * SECOND);
        assertFalse(waited.get(10, TimeUnit.SECONDS));
    }

    @Test
    void neverWaitsLongerThanTheCap() throws Exception {
        // Scraped once a minute: the rhythm alone would wait until 235 s; the cap ends it now.
        scrapeAt(100 * SECOND, 1);
        scrapeAt(160 * SECOND, 2);
        clock.set(161 * SECOND);
        assertFalse(watch.awaitDelivered(3, Duration.ZERO));
    }

    @Test
    void anOverdueScraperIsNotWaitedFor() throws Exception {
        scrapeAt(100 * SECOND, 1);
        scrapeAt(105 * SECOND, 2);
        clock.set(200 * SECOND);
        assertFalse(watch.awaitDelivered(3, Duration.ofMinutes(10)));
    }

    @Test
    void anAlreadyDeliveredSnapshotNeedsNoWait() throws Exception {
        scrapeAt(100 * SECOND, 9);
        assertTrue(watch.awaitDelivered(9, Duration.ofMinutes(10)));
    }
}
