package dev.sentinel.core;

import java.nio.channels.SelectionKey;

/**
 * Attached to a selection key in the loop's selector; called on the loop thread when the key is
 * ready. Must not block: read and write only what the channel takes without waiting.
 */
@FunctionalInterface
public interface ReadyHandler {

    void ready(SelectionKey key);
}
