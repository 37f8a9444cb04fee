package dev.sentinel.tui;

/**
 * A terminal that says when keys arrive, so the dashboard thread can sleep until then instead of
 * polling for them. A terminal without it (Lanterna's virtual one, in tests) is polled.
 */
interface KeySignal {

    /** {@code listener} runs (on another thread, and must not block) whenever input arrives or ends. */
    void onKeys(Runnable listener);
}
