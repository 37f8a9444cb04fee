package dev.sentinel.tui;

/** There is no terminal the dashboard could take over; the message says why, in one sentence. */
final class NoTerminalException extends Exception {

    NoTerminalException(String message, Throwable cause) {
        super(message, cause);
    }
}
