package dev.sentinel.control;

/** The control socket cannot be set up as asked; Sentinel refuses to start (exit 2). */
public class ControlException extends Exception {

    public ControlException(String message) {
        super(message);
    }
}
