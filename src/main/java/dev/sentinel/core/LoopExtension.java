package dev.sentinel.core;

/** A part that lives inside the supervisor loop (the control socket), wired before it runs. */
public interface LoopExtension extends AutoCloseable {

    /** Called on the loop thread before the program starts. */
    void attach(LoopContext context);

    /** Called on the loop thread after every tick, once the new snapshot is published. */
    default void afterTick(Snapshot snapshot) {
    }

    /** Called when the loop ends, however it ends. */
    @Override
    void close();
}
