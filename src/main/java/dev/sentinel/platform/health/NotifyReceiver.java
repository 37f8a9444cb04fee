package dev.sentinel.platform.health;

import java.io.IOException;
import java.util.function.Consumer;

/** STUB until the notify branch is merged. */
public final class NotifyReceiver implements NotifySockets, AutoCloseable {
    @Override
    public Endpoint open(String address, Consumer<NotifyDatagram> sink) throws IOException {
        throw new IOException("stub");
    }

    @Override
    public void close() {
    }
}
