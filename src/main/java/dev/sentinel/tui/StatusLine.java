package dev.sentinel.tui;

import java.util.concurrent.atomic.AtomicReference;

/**
 * The answer to the last key, shown in the footer for a few seconds: "sent SIGTERM to leaker,
 * SIGKILL follows in 3s ...". Set from the loop thread (the guardian's reply) or the dashboard
 * thread; read by the dashboard thread.
 */
final class StatusLine {

    static final long SHOW_MILLIS = 6_000;

    private record Message(String text, long epochMillis) {
    }

    private final AtomicReference<Message> message = new AtomicReference<>();
    private volatile Runnable onChange = () -> { };

    void set(String text, long epochMillis) {
        message.set(text == null ? null : new Message(text, epochMillis));
        onChange.run();
    }

    /** {@code listener} runs (on the thread that set it, and must not block) whenever a message is set. */
    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    /**
     * What shows at {@code nowMillis}, as an object that is the same for as long as the footer
     * does not change (compared by identity): a new message, even with the same words, is another.
     */
    Object token(long nowMillis) {
        Message m = message.get();
        return shown(m, nowMillis) ? m : null;
    }

    /** The message if it is recent enough to show at {@code nowMillis}, else null. */
    String current(long nowMillis) {
        Message m = message.get();
        return shown(m, nowMillis) ? m.text() : null;
    }

    /**
     * Set less than {@link #SHOW_MILLIS} ago. One set more than that ahead of now was set before
     * the wall clock stepped back, and is not shown for as long as the step.
     */
    private static boolean shown(Message m, long nowMillis) {
        return m != null && Math.abs(nowMillis - m.epochMillis()) <= SHOW_MILLIS;
    }
}
