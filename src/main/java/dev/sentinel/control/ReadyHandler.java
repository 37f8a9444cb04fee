package dev.sentinel.control;

import java.nio.channels.SelectionKey;

/**
 * Attached to a selection key in the control loop's selector; called on the control thread when
 * the key is ready. Must not block: read and write only what the channel takes without waiting.
 */
@FunctionalInterface
interface ReadyHandler {

    void ready(SelectionKey key);
}
