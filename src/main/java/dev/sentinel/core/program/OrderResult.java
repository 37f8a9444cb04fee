package dev.sentinel.core.program;

/**
 * The answer to an order (start, stop, restart, kill, limit, signal): what came of it, and the
 * sentence that says so. The socket and the dashboard render it (the socket as {@code OK ...} or
 * {@code ERR ...}); they never work out the outcome themselves.
 *
 * @param message one sentence, without the socket's {@code OK}/{@code ERR}
 */
public record OrderResult(Outcome outcome, String message) {

    public enum Outcome {
        /** The order was carried out (or begun: a stop is a deadline, not a wait). */
        DONE,
        /** It could not be carried out; the message says why (a command that cannot be run). */
        REFUSED,
        /** It asks for what already is (stop a program that has exited, start one that runs). */
        NOTHING_TO_DO
    }

    public static OrderResult done(String message) {
        return new OrderResult(Outcome.DONE, message);
    }

    public static OrderResult refused(String message) {
        return new OrderResult(Outcome.REFUSED, message);
    }

    public static OrderResult nothingToDo(String message) {
        return new OrderResult(Outcome.NOTHING_TO_DO, message);
    }

    public boolean done() {
        return outcome == Outcome.DONE;
    }
}
