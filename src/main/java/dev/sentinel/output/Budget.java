package dev.sentinel.output;

import java.util.concurrent.atomic.AtomicLong;

/** An allowance of queued bytes: taking never blocks, it succeeds or it does not. */
final class Budget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    Budget(long limit) {
        this.limit = limit;
    }

    boolean take(long n) {
        while (true) {
            long u = used.get();
            if (u + n > limit) {
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                return true;
            }
        }
    }

    void give(long n) {
        used.addAndGet(-n);
    }
}
