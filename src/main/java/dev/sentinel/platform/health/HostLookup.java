package dev.sentinel.platform.health;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Name lookups that a check can give up on at its deadline. The JDK's lookup (getaddrinfo) takes
 * no timeout, and a dead DNS server holds it for the resolver's own (resolv.conf's timeout times
 * attempts: 10 s and more), so it runs on a thread of its own while the check waits only for what
 * is left. A lookup given up on runs out on its thread; one not begun yet is dropped. A literal
 * address needs no lookup and none is made. The JDK caches answers (30 s) and failures (10 s).
 */
final class HostLookup implements AutoCloseable {

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final CheckThreads threads;

    HostLookup(CheckThreads threads) {
        this.threads = threads;
    }

    /** The host's addresses, in the order the system prefers them. */
    InetAddress[] resolve(String host, Deadline deadline) throws IOException {
        if (isLiteral(host)) {
            return InetAddress.getAllByName(host);
        }
        Future<InetAddress[]> lookup;
        try {
            lookup = threads.submit(() -> InetAddress.getAllByName(host));
        } catch (RejectedExecutionException e) {
            throw new InterruptedIOException("the lookups are shut down");
        }
        try {
            return lookup.get(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            lookup.cancel(false);
            throw new SocketTimeoutException("the lookup of " + host + " did not answer in time");
        } catch (InterruptedException e) {
            lookup.cancel(false);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted looking up " + host);
        } catch (CancellationException e) {
            throw new InterruptedIOException("the lookups are shut down");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UnknownHostException) {
                throw new UnknownHostException(host);
            }
            throw cause instanceof IOException io ? io : new IOException(Details.words(cause), cause);
        }
    }

    static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
    }

    /** Stops the lookups; a check waiting for one not begun yet is told at once. */
    @Override
    public void close() {
        for (Runnable waiting : threads.shutdownNow()) {
            if (waiting instanceof Future<?> lookup) {
                lookup.cancel(false);
            }
        }
    }
}
