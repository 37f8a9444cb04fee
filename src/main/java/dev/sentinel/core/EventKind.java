package dev.sentinel.core;

/** What happened, for the lifecycle lines, the dashboard's event pane and the socket. */
public enum EventKind {
    STARTED, LIMIT_CROSSED, SIGNAL_SENT, EXITED, RESTARTED, ORDER, LIMIT_CHANGED, WARNING
}
