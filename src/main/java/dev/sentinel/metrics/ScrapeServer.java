package dev.sentinel.metrics;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics endpoint's HTTP/1.1 server: one thread, one {@link Selector}, nothing blocking.
 *
 * <p>Why not the JDK's {@code com.sun.net.httpserver} (which the client library's HTTPServer
 * uses): it hands a connection to a request thread as soon as its first byte arrives, and that
 * thread then blocks until the headers are complete. Two clients that send half a request and
 * wait held both request threads, and every scrape timed out for as long as they waited (issue 14).
 * Here a request's bytes are gathered without blocking, and only a complete request is answered;
 * answering (rendering the exposition and writing it without blocking) takes a few milliseconds.
 *
 * <p>Bounds ({@link Limits#DEFAULT}): a connection must send a whole request head within 5 s of
 * connecting (or of its first byte after an answer), in at most 8 KiB; a kept-alive connection
 * idle for 30 s is closed, as is one that does not read its answer within 10 s; at most 256
 * connections are open, and a new one beyond that closes the oldest that is not being answered.
 *
 * <p>Idle cost: with no connection open the thread sleeps in {@code select()} without a timeout;
 * it has a timeout only while a connection is open, set to that connection's next deadline.
 *
 * <p>Requests never have a body here; one that announces a body is answered, then its connection
 * is closed.
 *
 * <p>Closing after an answer is a lingering close, as nginx and Apache do it (RFC 9112, 9.6): the
 * write side is shut first (the answer, then FIN), and what the client still sends is read and
 * thrown away until it closes, for at most {@link #LINGER_NANOS} and {@link #LINGER_BYTES}. A plain
 * close with the client's bytes unread (a body, pipelined requests, the rest of a head over the
 * bound) makes the kernel send RST and throw away the part of the answer not yet delivered: a
 * client that reads slowly got a 431 or an exposition cut short.
 *
 * <p>An answer may wait for another thread without holding this one ({@link Later}: {@code /healthz}
 * waits up to a second for the supervisor loop to turn): the connection reads nothing more and is
 * not closed to make room meanwhile, and the wait is one more deadline of the loop below.
 *
 * <p>One class of some 600 lines: it is the selector loop of a single thread, and every bound above
 * (head size and time, keep-alive, slow readers, the connection cap, answers that wait) is a
 * deadline that loop keeps; split, the pieces would share every field.
 */
final class ScrapeServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ScrapeServer.class);
    static final String THREAD_NAME = "sentinel-metrics-http";
    private static final int BACKLOG = 64;
    /** How long accepting pauses when accept() fails (e.g. no file descriptor is left). */
    private static final long ACCEPT_PAUSE_NANOS = 1_000_000_000L;
    private static final long STOP_WAIT_MILLIS = 5000;
    /** How long a closing connection's leftover input is read and dropped (see the class comment). */
    static final long LINGER_NANOS = 2_000_000_000L;
    /** How much of it at most, so a client that keeps sending cannot keep the thread busy. */
    static final long LINGER_BYTES = 1024 * 1024;
    /** Where a lingering connection's bytes are read into and dropped; the server thread's own. */
    private final ByteBuffer discard = ByteBuffer.allocate(8192);
    /** Connections accepted per wake of the selector. */
    private static final int ACCEPT_BATCH = 16;

    /**
     * @param requestTimeout  a connection that has not sent a whole request head this long after
     *                        connecting (or after the first byte of its next request) is closed
     * @param idleTimeout     a kept-alive connection with no new request this long is closed
     * @param writeTimeout    a connection that has not taken its whole answer this long is closed
     * @param maxHeaderBytes  the longest request head (request line and headers); longer is a 431
     * @param maxConnections  open connections at most; the oldest one not being answered makes room
     */
    record Limits(Duration requestTimeout, Duration idleTimeout, Duration writeTimeout, int maxHeaderBytes,
                  int maxConnections) {
        static final Limits DEFAULT = new Limits(Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofSeconds(10), 8192, 256);

        Limits withMaxConnections(int max) {
            return new Limits(requestTimeout, idleTimeout, writeTimeout, maxHeaderBytes, max);
        }
    }

    /** A complete request head. Header names are lower case. */
    record Request(String method, String target, String version, Map<String, List<String>> headers) {

        /** The first value of header {@code name} (any case), or null. */
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The target's path, without the query: {@code /metrics} for {@code /metrics?name[]=x}. */
        String path() {
            String t = target;
            if (!t.startsWith("/")) { // absolute form: http://host:port/path
                int scheme = t.indexOf("://");
                int slash = scheme < 0 ? -1 : t.indexOf('/', scheme + 3);
                t = slash < 0 ? "/" : t.substring(slash);
            }
            int q = t.indexOf('?');
            return q < 0 ? t : t.substring(0, q);
        }

        /** The raw query, without the {@code ?}; null if there is none. */
        String query() {
            int q = target.indexOf('?');
            return q < 0 ? null : target.substring(q + 1);
        }
    }

    /** What a handler gives back: an answer now ({@link Response}), or one that waits a little ({@link Later}). */
    sealed interface Reply permits Response, Later {
    }

    /**
     * An answer. {@code headers} must not hold Content-Length unless {@code headOnly}: the server
     * sets it from the body. {@code delivered} runs once the whole answer is written.
     */
    record Response(int status, Map<String, String> headers, byte[] body, Runnable delivered) implements Reply {
    }

    /**
     * An answer that waits for another thread: once {@link #wake()} is called (from any thread) or
     * {@code wait} has passed, whichever comes first, the server asks {@code answer} on its own
     * thread and sends what it says. Meanwhile the connection reads nothing more.
     */
    static final class Later implements Reply {
        private final Duration wait;
        private final Supplier<Response> answer;
        private final AtomicBoolean woken = new AtomicBoolean();
        /** Set by the server thread once the connection waits; may run on any thread. */
        private volatile Runnable onWake;

        Later(Duration wait, Supplier<Response> answer) {
            this.wait = wait;
            this.answer = answer;
        }

        /** The answer can be given now. Any thread; idempotent. */
        void wake() {
            woken.set(true);
            Runnable r = onWake;
            if (r != null) {
                r.run();
            }
        }

        boolean woken() {
            return woken.get();
        }

        /**
         * Server thread: {@code r} runs when {@link #wake()} is called, or now if it was already.
         * Both sides write before they read (volatile), so a wake in between is seen by one of
         * them at least; {@code r} may run twice, and the server ignores the second.
         */
        private void whenWoken(Runnable r) {
            onWake = r;
            if (woken.get()) {
                r.run();
            }
        }
    }

    /** Answers complete requests, on the server's thread. */
    interface Handler {
        Reply respond(Request request);
    }

    private final Limits limits;
    private final Handler handler;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final SelectionKey listenerKey;
    private final List<Connection> connections = new ArrayList<>();
    /** Connections whose {@link Later} was woken, for the server thread to answer. */
    private final Queue<Connection> woken = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private final int port;
    private volatile boolean closing;
    /** When accepting resumes after accept() failed; 0 while accepting. Server thread only. */
    private long acceptPausedUntil;

    private ScrapeServer(InetSocketAddress address, Limits limits, Handler handler) throws IOException {
        this.limits = limits;
        this.handler = handler;
        ServerSocketChannel ch = ServerSocketChannel.open();
        Selector sel = null;
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(address, BACKLOG);
            ch.configureBlocking(false);
            sel = Selector.open();
            listenerKey = ch.register(sel, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            if (sel != null) {
                sel.close();
            }
            ch.close();
            throw e;
        }
        this.listener = ch;
        this.selector = sel;
        this.port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
        this.thread = new Thread(this::run, THREAD_NAME);
        thread.setDaemon(true);
    }

    /** Binds {@code address} (port 0: any free one) and serves until {@link #close}. */
    static ScrapeServer start(InetSocketAddress address, Limits limits, Handler handler) throws IOException {
        ScrapeServer server = new ScrapeServer(address, limits, handler);
        server.thread.start();
        return server;
    }

    int port() {
        return port;
    }

    /** Stops serving, closes every connection and frees the port before it returns. Idempotent. */
    @Override
    public void close() {
        closing = true;
        selector.wakeup();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(STOP_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (!closing) {
                long timeout = timeoutMillis(System.nanoTime());
                if (timeout == 0) {
                    selector.select();
                } else {
                    selector.select(timeout);
                }
                if (closing) {
                    break;
                }
                answerWoken();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (key == listenerKey) {
                        accept();
                    } else {
                        ready((Connection) key.attachment(), key);
                    }
                }
                expire(System.nanoTime());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("metrics endpoint stopped", e);
        } finally {
            for (Connection c : connections) {
                quietlyClose(c.channel);
            }
            connections.clear();
            quietlyClose(listener);
            quietlyClose(selector);
        }
    }

    /** Milliseconds until the next deadline; 0 (wait forever) when nothing has one. */
    private long timeoutMillis(long now) {
        long next = acceptPausedUntil;
        for (Connection c : connections) {
            if (next == 0 || c.deadline - next < 0) {
                next = c.deadline;
            }
        }
        if (next == 0 && connections.isEmpty()) {
            return 0;
        }
        long left = next - now;
        return left <= 0 ? 1 : Math.max(1, (left + 999_999) / 1_000_000);
    }

    private void expire(long now) {
        if (acceptPausedUntil != 0 && now - acceptPausedUntil >= 0) {
            acceptPausedUntil = 0;
            listenerKey.interestOps(SelectionKey.OP_ACCEPT);
        }
        for (int i = connections.size() - 1; i >= 0; i--) {
            Connection c = connections.get(i);
            if (now - c.deadline >= 0 && c.later != null) {
                answerLater(c); // its wait is over, woken or not: the answer says which
            } else if (now - c.deadline >= 0) {
                LOG.debug("metrics: closing {} connection from {} (deadline passed)", c.writing ? "slow-reading"
                        : c.lingering ? "lingering" : c.inLength > 0 ? "incomplete-request" : "idle", c.remote());
                close(c);
            }
        }
    }

    private void accept() {
        // A bounded batch per wake: a connection closed to make room is still registered with the
        // selector, and the JDK frees its descriptor only at the next select. Accepting a flood
        // without selecting in between held hundreds of them (under ulimit -n 256: all of them).
        for (int i = 0; i < ACCEPT_BATCH; i++) {
            SocketChannel ch;
            try {
                ch = listener.accept();
            } catch (IOException e) {
                // Most likely out of file descriptors: free one, and do not spin on the listener.
                LOG.debug("metrics: accept failed", e);
                evictOldest();
                listenerKey.interestOps(0);
                acceptPausedUntil = (System.nanoTime() + ACCEPT_PAUSE_NANOS) | 1;
                return;
            }
            if (ch == null) {
                return;
            }
            if (connections.size() >= limits.maxConnections() && !evictOldest()) {
                quietlyClose(ch);
                continue;
            }
            try {
                ch.configureBlocking(false);
                // Without it, an answer over a kept-alive connection waits for the scraper's delayed ACK.
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Connection c = new Connection(ch, System.nanoTime() + limits.requestTimeout().toNanos());
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                connections.add(c);
            } catch (IOException e) {
                quietlyClose(ch);
            }
        }
    }

    /** Closes the connection that has waited longest without being answered; false if there is none. */
    private boolean evictOldest() {
        Connection oldest = null;
        for (Connection c : connections) {
            if (!c.writing && c.later == null && (oldest == null || c.since - oldest.since < 0)) {
                oldest = c;
            }
        }
        if (oldest == null) {
            return false;
        }
        LOG.debug("metrics: {} connections open, closing the oldest waiting one from {}", connections.size(),
                oldest.remote());
        close(oldest);
        return true;
    }

    private void ready(Connection c, SelectionKey key) {
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isWritable()) {
                if (write(c) && c.inLength > 0) {
                    serve(c, 0); // pipelined: the next request has begun already
                }
            } else if (key.isReadable()) {
                read(c);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("metrics: connection from {} failed", c.remote(), e);
            close(c);
        }
    }

    private void read(Connection c) throws IOException {
        if (c.lingering) {
            drop(c);
            return;
        }
        int max = limits.maxHeaderBytes();
        if (c.in.length == c.inLength) {
            c.in = Arrays.copyOf(c.in, Math.min(max, Math.max(512, c.in.length * 2)));
        }
        int n = c.channel.read(ByteBuffer.wrap(c.in, c.inLength, c.in.length - c.inLength));
        if (n < 0) {
            close(c);
            return;
        }
        if (n == 0) {
            return;
        }
        if (c.idle) {
            // The first byte of the next request on a kept-alive connection: its head is now due.
            c.idle = false;
            c.deadline = System.nanoTime() + limits.requestTimeout().toNanos();
        }
        int from = Math.max(0, c.inLength - 3);
        c.inLength += n;
        serve(c, from);
    }

    /** Reads and drops what a lingering connection sends; closes it at its end or past {@link #LINGER_BYTES}. */
    private void drop(Connection c) throws IOException {
        while (true) {
            discard.clear();
            int n = c.channel.read(discard);
            if (n < 0 || (c.lingered += n) > LINGER_BYTES) {
                close(c);
                return;
            }
            if (n == 0) {
                return;
            }
        }
    }

    /**
     * The answer is written and the connection is to close: shut the write side (the answer goes out,
     * then FIN) and read what the client still sends until it closes too, or the linger ends.
     */
    private void linger(Connection c) {
        try {
            c.channel.shutdownOutput();
        } catch (IOException e) {
            close(c);
            return;
        }
        c.lingering = true;
        c.in = new byte[0];
        c.inLength = 0;
        c.since = System.nanoTime();
        c.deadline = c.since + LINGER_NANOS;
        c.key.interestOps(SelectionKey.OP_READ);
    }

    /** Answers the complete requests in {@code c}'s buffer, one at a time, while it is not writing. */
    private void serve(Connection c, int searchFrom) throws IOException {
        while (c.channel.isOpen() && !c.writing && c.later == null && !c.lingering) {
            int skip = 0;
            while (skip < c.inLength && (c.in[skip] == '\r' || c.in[skip] == '\n')) {
                skip++; // empty lines before a request line are ignored (RFC 9112, 2.2)
            }
            int end = headEnd(c.in, Math.max(skip, searchFrom), c.inLength);
            if (end < 0) {
                if (c.inLength >= limits.maxHeaderBytes()) {
                    respondAndClose(c, 431, "Request Header Fields Too Large",
                            "The request head is longer than " + limits.maxHeaderBytes() + " bytes.\n");
                } else if (skip == c.inLength) {
                    c.inLength = 0;
                }
                return;
            }
            Request request = parse(new String(c.in, skip, end - skip, StandardCharsets.ISO_8859_1));
            System.arraycopy(c.in, end, c.in, 0, c.inLength - end);
            c.inLength -= end;
            searchFrom = 0;
            if (request == null) {
                respondAndClose(c, 400, "Bad Request", "Malformed HTTP request.\n");
                return;
            }
            Reply reply;
            try {
                reply = handler.respond(request);
            } catch (RuntimeException e) {
                LOG.warn("metrics: answering {} {} failed", request.method(), request.target(), e);
                respondAndClose(c, 500, "Internal Server Error", "An internal error occurred.\n");
                return;
            }
            if (reply instanceof Later later) {
                await(c, later, request.method().equals("HEAD"), !keepAlive(request));
                return;
            }
            send(c, (Response) reply, request.method().equals("HEAD"), !keepAlive(request));
        }
    }

    /** {@code c} waits for {@code later}: it reads nothing more until answered, at {@code later.wait} at most. */
    private void await(Connection c, Later later, boolean headOnly, boolean closeAfter) {
        c.later = later;
        c.laterHeadOnly = headOnly;
        c.laterCloseAfter = closeAfter;
        c.deadline = System.nanoTime() + later.wait.toNanos();
        c.key.interestOps(0);
        later.whenWoken(() -> {
            woken.add(c);
            selector.wakeup();
        });
    }

    /** Answers the connections whose answer was woken since the last look (the server's thread). */
    private void answerWoken() {
        for (Connection c; (c = woken.poll()) != null; ) {
            // Answered already (its wait ran out), closed, or waiting for a later request's answer: not this one.
            if (c.later != null && c.later.woken()) {
                answerLater(c);
            }
        }
    }

    private void answerLater(Connection c) {
        Later later = c.later;
        c.later = null;
        try {
            Response response;
            try {
                response = later.answer.get();
            } catch (RuntimeException e) {
                LOG.warn("metrics: answering a waiting request failed", e);
                respondAndClose(c, 500, "Internal Server Error", "An internal error occurred.\n");
                return;
            }
            send(c, response, c.laterHeadOnly, c.laterCloseAfter);
            if (c.channel.isOpen() && !c.writing && c.inLength > 0) {
                serve(c, 0); // pipelined: the next request came with this one
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("metrics: connection from {} failed", c.remote(), e);
            close(c);
        }
    }

    /** The index just past the blank line that ends a request head, or -1. */
    static int headEnd(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                if (i + 1 < to && b[i + 1] == '\n') {
                    return i + 2;
                }
                if (i + 2 < to && b[i + 1] == '\r' && b[i + 2] == '\n') {
                    return i + 3;
                }
            }
        }
        return -1;
    }

    /** A request head (request line and header lines, with the blank line), or null if malformed. */
    static Request parse(String head) {
        String[] lines = head.split("\r?\n");
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || requestLine[0].isEmpty() || requestLine[1].isEmpty()
                || !requestLine[2].startsWith("HTTP/1.")) {
            return null;
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
                return null;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            headers.computeIfAbsent(name, k -> new ArrayList<>(1)).add(line.substring(colon + 1).trim());
        }
        return new Request(requestLine[0], requestLine[1], requestLine[2], headers);
    }

    /** Whether the connection stays open after the answer: never when the request has a body. */
    private static boolean keepAlive(Request r) {
        String length = r.header("content-length");
        if (r.header("transfer-encoding") != null || (length != null && !length.equals("0"))) {
            return false;
        }
        String connection = r.header("connection");
        String token = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
        return r.version().equals("HTTP/1.0") ? token.contains("keep-alive") : !token.contains("close");
    }

    private void respondAndClose(Connection c, int status, String reason, String text) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "text/plain; charset=utf-8");
        c.inLength = 0;
        send(c, new Response(status, headers, text.getBytes(StandardCharsets.UTF_8), null), false, true);
    }

    private void send(Connection c, Response r, boolean headOnly, boolean closeAfter) throws IOException {
        StringBuilder head = new StringBuilder(160).append("HTTP/1.1 ").append(r.status()).append(' ')
                .append(reason(r.status())).append("\r\n");
        boolean lengthGiven = false;
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase("Content-Length")) {
                if (!headOnly) {
                    continue;
                }
                lengthGiven = true;
            }
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (!lengthGiven) {
            head.append("Content-Length: ").append(r.body().length).append("\r\n");
        }
        if (closeAfter) {
            head.append("Connection: close\r\n");
        }
        head.append("\r\n");
        c.out = new ByteBuffer[] {
            ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)),
            ByteBuffer.wrap(headOnly ? new byte[0] : r.body())};
        c.delivered = r.delivered();
        c.closeAfter = closeAfter;
        c.writing = true;
        c.deadline = System.nanoTime() + limits.writeTimeout().toNanos();
        write(c);
    }

    /**
     * Writes what the socket takes now. True once the whole answer is written: then the connection
     * is closed or waits for its next request (whose first bytes may be in its buffer already).
     */
    private boolean write(Connection c) throws IOException {
        c.channel.write(c.out);
        if (c.out[0].hasRemaining() || c.out[1].hasRemaining()) {
            c.key.interestOps(SelectionKey.OP_WRITE);
            return false;
        }
        Runnable delivered = c.delivered;
        c.out = null;
        c.delivered = null;
        c.writing = false;
        if (delivered != null) {
            delivered.run();
        }
        if (c.closeAfter) {
            linger(c);
            return true;
        }
        long now = System.nanoTime();
        c.since = now;
        c.key.interestOps(SelectionKey.OP_READ);
        if (c.inLength > 0) {
            c.deadline = now + limits.requestTimeout().toNanos();
        } else {
            c.idle = true;
            c.deadline = now + limits.idleTimeout().toNanos();
        }
        return true;
    }

    private void close(Connection c) {
        c.later = null;
        connections.remove(c);
        quietlyClose(c.channel);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status " + status;
        };
    }

    private static void quietlyClose(Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("metrics: close failed", e);
        }
    }

    /** One client connection; touched by the server thread only. */
    private static final class Connection {
        final SocketChannel channel;
        SelectionKey key;
        /** Bytes received and not yet answered: at most {@code maxHeaderBytes}. */
        byte[] in = new byte[0];
        int inLength;
        /** When this connection is closed unless it makes progress (System.nanoTime()). */
        long deadline;
        /** When it was accepted or last answered: the oldest waiting one makes room for a new one. */
        long since;
        /** Kept alive after an answer, and no byte of the next request yet. */
        boolean idle;
        boolean writing;
        ByteBuffer[] out;
        Runnable delivered;
        boolean closeAfter;
        /** The answer this connection waits for, or null; how to send it then. */
        Later later;
        boolean laterHeadOnly;
        boolean laterCloseAfter;
        /** Answered for the last time, write side shut: reading only to drop what comes (see linger). */
        boolean lingering;
        long lingered;

        Connection(SocketChannel channel, long deadline) {
            this.channel = channel;
            this.deadline = deadline;
            this.since = System.nanoTime();
        }

        Object remote() {
            try {
                return channel.getRemoteAddress();
            } catch (IOException e) {
                return "?";
            }
        }
    }
}
