import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds N connections to a control socket open without ever sending a byte, the way a stuck or
 * hostile client would. Sentinel closes a connection that sends nothing within its idle timeout
 * (5 s); this holder then opens a new one at once, so N connections stay open all the time (at
 * the price of N reconnections per timeout period, which it counts).
 */
final class IdleConnections implements AutoCloseable, Runnable {

    private final UnixDomainSocketAddress address;
    private final int target;
    private final Selector selector;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong reopened = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;

    IdleConnections(Path socket, int target) throws IOException {
        this.address = UnixDomainSocketAddress.of(socket);
        this.target = target;
        this.selector = Selector.open();
        this.thread = new Thread(this, "idle-connections");
        thread.setDaemon(true);
        thread.start();
    }

    int target() {
        return target;
    }

    int open() {
        return open.get();
    }

    long reopened() {
        return reopened.get();
    }

    long failures() {
        return failures.get();
    }

    long bytesReceived() {
        return bytesReceived.get();
    }

    /** Waits until all N are open; false at the deadline. */
    boolean awaitOpen(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (open.get() < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    @Override
    public void run() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        boolean filled = false;
        while (!closed) {
            try {
                while (!closed && open.get() < target) {
                    if (!connectOne(!filled)) {
                        Thread.sleep(5);
                        break;
                    }
                }
                filled = filled || open.get() >= target;
                selector.select(100);
                for (SelectionKey k : selector.selectedKeys()) {
                    SocketChannel ch = (SocketChannel) k.channel();
                    buf.clear();
                    int n;
                    try {
                        n = ch.read(buf);
                    } catch (IOException e) {
                        n = -1;
                    }
                    if (n > 0) {
                        bytesReceived.addAndGet(n);
                    } else if (n < 0) {
                        k.cancel();
                        ch.close();
                        open.decrementAndGet();
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                failures.incrementAndGet();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean connectOne(boolean initial) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(address);
                ch.configureBlocking(false);
                ch.register(selector, SelectionKey.OP_READ);
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            open.incrementAndGet();
            if (!initial) {
                reopened.incrementAndGet();
            }
            return true;
        } catch (IOException e) {
            failures.incrementAndGet();
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SelectionKey k : selector.keys()) {
            try {
                k.channel().close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
