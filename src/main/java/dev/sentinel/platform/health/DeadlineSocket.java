package dev.sentinel.platform.health;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

/**
 * A socket whose every read waits only for what is left of the check's time. SO_TIMEOUT bounds
 * one read, not a conversation: a server that sends a byte just inside each timeout would hold a
 * check for ever. So the timeout is set anew before each read, the TLS handshake's included (a
 * layered SSLSocket reads its records through this socket's {@link #getInputStream}).
 */
final class DeadlineSocket extends Socket {

    private final Deadline deadline;
    private InputStream in;

    DeadlineSocket(Deadline deadline) {
        this.deadline = deadline;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (in == null) {
            in = new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    setSoTimeout(deadline.remainingMillis());
                    return super.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    setSoTimeout(deadline.remainingMillis());
                    return super.read(b, off, len);
                }
            };
        }
        return in;
    }
}
