package dev.sentinel.platform.health;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** Looks a host up and connects to it within a check's deadline; says in a few words what failed. */
final class Dialer {

    private final HostLookup lookup;

    Dialer(HostLookup lookup) {
        this.lookup = lookup;
    }

    /**
     * A socket connected to {@code host:port}. Each of the host's addresses is tried in turn while
     * it refuses (a name for both ::1 and 127.0.0.1 may listen on one only); a timeout ends it.
     */
    DeadlineSocket connect(String host, int port, Deadline deadline) throws IOException {
        InetAddress[] addresses = lookup.resolve(host, deadline);
        IOException first = null;
        for (InetAddress address : addresses) {
            DeadlineSocket socket = new DeadlineSocket(deadline);
            try {
                socket.connect(new InetSocketAddress(address, port), deadline.remainingMillis());
                return socket;
            } catch (SocketTimeoutException e) {
                socket.close();
                throw e;
            } catch (IOException e) {
                socket.close();
                if (first == null) {
                    first = e;
                }
            } catch (RuntimeException e) {
                socket.close();
                throw e;
            }
        }
        throw first != null ? first : new UnknownHostException(host);
    }

    /** {@code connection refused}, {@code timed out after 3s}, {@code unknown host db.local}, ... */
    static String failure(IOException e, String host, Deadline deadline) {
        if (timedOut(e)) {
            return deadline.timedOut();
        }
        if (e instanceof InterruptedIOException) {
            return Details.SHUTTING_DOWN;
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + host;
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof SSLException) {
            return "TLS: " + Details.rootWords(e);
        }
        return Details.lowerFirst(Details.words(e));
    }

    private static boolean timedOut(IOException e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SocketTimeoutException) {
                return true;
            }
        }
        // The kernel gave up on the connect first (ETIMEDOUT): a timeout longer than its SYN retries.
        return e instanceof ConnectException && String.valueOf(e.getMessage()).contains("timed out");
    }
}
