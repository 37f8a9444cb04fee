package dev.sentinel.platform.health;

import java.io.IOException;
import java.util.function.Consumer;

/** Opens sd_notify datagram sockets and hands what arrives on them to a sink. */
public interface NotifySockets {

    /**
     * Binds a datagram socket at {@code address} (a path, or {@code @name} for the abstract
     * namespace, as {@code $NOTIFY_SOCKET} writes it) that passes credentials, and calls
     * {@code sink} on the receiving thread with each datagram; the sink must not block.
     */
    Endpoint open(String address, Consumer<NotifyDatagram> sink) throws IOException;

    /** One open notify socket. */
    interface Endpoint extends AutoCloseable {

        /** The address to put in {@code NOTIFY_SOCKET}. */
        String address();

        /** Stops receiving and releases the socket (and removes its file, for a path). */
        @Override
        void close();
    }
}
