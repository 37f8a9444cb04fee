package dev.sentinel.platform.health;

import java.io.IOException;
import java.net.Socket;

/** Connects and closes at once: something listens, which is all a tcp check asks. */
final class TcpProbe {

    private final Dialer dialer;

    TcpProbe(Dialer dialer) {
        this.dialer = dialer;
    }

    void check(Probe.Tcp probe, Deadline deadline, Outcome outcome) {
        Socket socket;
        try {
            socket = dialer.connect(probe.host(), probe.port(), deadline);
        } catch (IOException e) {
            outcome.fail(Dialer.failure(e, probe.host(), deadline));
            return;
        }
        try {
            socket.close();
        } catch (IOException e) {
            // Connected is connected.
        }
        outcome.pass("connected");
    }
}
