package dev.sentinel.tui;

import dev.sentinel.core.Event;
import dev.sentinel.core.EventSink;
import dev.sentinel.core.LoopContext;
import dev.sentinel.core.LoopExtension;
import dev.sentinel.core.Supervisor;
import dev.sentinel.platform.OutputSink;

/** The live Lanterna dashboard. (Stub: issue 5 builds it.) */
public final class Dashboard implements LoopExtension, EventSink {

    public Dashboard(UiSettings settings) {
    }

    /** Receives the child's output (stdin is /dev/null in dashboard mode). */
    public OutputSink outputSink() {
        return (stream, line) -> { };
    }

    /** Starts drawing; orders from the keyboard go to the loop through {@code supervisor.post}. */
    public void start(Supervisor supervisor) {
    }

    @Override
    public void emit(Event event) {
    }

    @Override
    public void attach(LoopContext context) {
    }

    /** Restores the terminal; safe to call more than once and from any thread. */
    @Override
    public void close() {
    }
}
