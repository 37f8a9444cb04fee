package dev.sentinel.platform.health;

import dev.sentinel.platform.PollFds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify sockets, all served by one thread ({@code sentinel-notify}): it waits in
 * {@code poll(2)} over every socket and a wake-up eventfd that tells it of new and closed sockets,
 * with no timeout, so it costs no CPU while the programs are quiet. Fifty programs cost one thread.
 *
 * <p>Each socket is an AF_UNIX datagram socket with {@code SO_PASSCRED}, so the kernel attaches
 * the sender's pid and uid to every datagram: a program cannot say {@code READY=1} for another
 * (short of CAP_SYS_ADMIN, which lets a sender name any live pid). It is bound at a path or, for
 * {@code @name}, in the abstract namespace, as {@code $NOTIFY_SOCKET} writes them.
 *
 * <p>The sockets are non-blocking. Each turn takes at most {@link #DRAIN_PER_TURN} datagrams from
 * every socket that has some, so a flooding sender gets its share and the others wait at most one
 * turn. A datagram over {@link NotifyMessage#MAX_TEXT_BYTES} bytes, or whose control data the kernel
 * cut off, is dropped and counted ({@link #dropped()}); fds a sender passes (SCM_RIGHTS) are closed
 * at once, or a sender could fill Sentinel's fd table.
 *
 * <p>Sinks must not block. A sink that throws loses that datagram; the error is logged (once per
 * socket) and receiving goes on.
 *
 * <p>With no socket open the thread waits in Java ({@link LockSupport#park}), not in
 * {@code poll(2)} on its wake-up fd alone: a thread blocked in native code when the JVM exits holds
 * the exit up by 300 ms (HotSpot waits that long for threads in native code to stop).
 *
 * <p>Only the thread closes a socket's fd while it runs, so the poll never watches a number that
 * was closed and handed out again. {@link Endpoint#close()} waits (briefly) for it.
 */
public final class NotifyReceiver implements NotifySockets, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NotifyReceiver.class);

    /** Datagrams taken from one socket per turn before the others get theirs. */
    static final int DRAIN_PER_TURN = 64;
    static final String THREAD_NAME = "sentinel-notify";
    private static final long STACK_BYTES = 256 * 1024;
    private static final long JOIN_MILLIS = 2000;
    /** How long Endpoint.close waits for the thread to close the fd (it is busy only in a sink). */
    private static final long CLOSE_WAIT_MILLIS = 2000;

    /** One bound socket. Its thread-only fields are the receiving thread's own. */
    private final class Socket implements Endpoint {
        final int fd;
        final String address;
        /** The socket file and what it was when bound (so close removes no other file), or nulls. */
        final Path path;
        final Object fileKey;
        final Consumer<NotifyDatagram> sink;
        /** Set by close: no more datagrams go to the sink. */
        final AtomicBoolean closing = new AtomicBoolean();
        /** Set once the fd is closed (or found closed): its number is no longer ours. */
        final AtomicBoolean released = new AtomicBoolean();
        final CountDownLatch gone = new CountDownLatch(1);

        // The receiving thread's:
        long sinkFailures;
        long drops;
        boolean toldOfFds;
        /** Receiving failed for good: no longer polled, but open until closed. */
        boolean broken;

        Socket(int fd, String address, Path path, Object fileKey, Consumer<NotifyDatagram> sink) {
            this.fd = fd;
            this.address = address;
            this.path = path;
            this.fileKey = fileKey;
            this.sink = sink;
        }

        @Override
        public String address() {
            return address;
        }

        @Override
        public void close() {
            closeSocket(this);
        }

        /** Marks it closed and removes its file; false if it was closed already. */
        boolean shut() {
            if (!closing.compareAndSet(false, true)) {
                return false;
            }
            open.remove(this);
            if (path != null) {
                unlink(path, fileKey);
            }
            return true;
        }

        /** Closes the fd, once. Only the receiving thread may, while it runs. */
        void release() {
            if (released.compareAndSet(false, true)) {
                lib.close(fd);
                gone.countDown();
            }
        }

        /** The fd was closed under us: give up its number without closing it. */
        void lost() {
            if (released.compareAndSet(false, true)) {
                gone.countDown();
            }
        }

        @Override
        public String toString() {
            return address;
        }
    }

    private final LongAdder dropped = new LongAdder();
    private final LongAdder passedFds = new LongAdder();
    /** Every socket not yet closed, for close() to remove their files. */
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Queue<Socket> added = new ConcurrentLinkedQueue<>();
    private final Queue<Socket> removed = new ConcurrentLinkedQueue<>();

    // Guarded by this:
    private NotifyLibc lib;
    private Thread thread;
    /** The thread's wake-up eventfd: -1 before it starts and once it has ended. */
    private int wakeFd = -1;
    private boolean closed;

    // The receiving thread's own:
    private final List<Socket> sockets = new ArrayList<>();
    /** The sockets in pollFds, in order after the wake-up fd. */
    private final List<Socket> polled = new ArrayList<>();
    private final PollFds pollFds = new PollFds();
    /** pollFds no longer matches sockets. */
    private boolean stale = true;
    private NotifyMessage message;

    /** Nothing native happens before the first {@link #open}. */
    public NotifyReceiver() {
    }

    @Override
    public Endpoint open(String address, Consumer<NotifyDatagram> sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        byte[] socketAddress = NotifyLibc.socketAddress(address);
        NotifyLibc os = libc();
        int fd = os.datagramSocket();
        if (fd < 0) {
            throw new IOException(cannotOpen(address, NotifyLibc.errno()));
        }
        Path path = null;
        Object fileKey = null;
        // Credentials first: a datagram queued before SO_PASSCRED would come without them.
        if (os.passCredentials(fd) != 0 || os.bind(fd, socketAddress) != 0) {
            int errno = NotifyLibc.errno();
            os.close(fd);
            throw new IOException(cannotOpen(address, errno));
        }
        if (address.charAt(0) != '@') {
            path = Path.of(address);
            fileKey = fileKey(path);
        }
        Socket s = new Socket(fd, address, path, fileKey, sink);
        synchronized (this) {
            if (!closed) {
                try {
                    start();
                } catch (IOException e) {
                    s.shut();
                    os.close(fd);
                    throw e;
                }
                open.add(s);
                added.add(s);
                wake();
                return s;
            }
        }
        s.shut();
        os.close(fd);
        throw new IOException("cannot open notify socket " + address + ": the notify receiver is closed.");
    }

    /** Datagrams dropped: longer than 4096 bytes, or with their control data cut off. */
    public long dropped() {
        return dropped.sum();
    }

    /** For tests: the fds senders passed, all closed. */
    long passedFds() {
        return passedFds.sum();
    }

    /** For tests: the thread's state (WAITING when parked, RUNNABLE in poll(2)), or null before it starts. */
    synchronized Thread.State threadState() {
        return thread == null ? null : thread.getState();
    }

    /** Closes every socket (removing their files) and stops the thread, waiting for it briefly. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        for (Socket s : open) {
            s.shut();
        }
        if (t == null) {
            return;
        }
        synchronized (this) {
            wake();
        }
        if (t == Thread.currentThread()) {
            // Called from a sink: the thread ends when it returns.
            return;
        }
        try {
            t.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            LOG.warn("the notify thread did not stop within {} ms (a sink blocks); its sockets close when it does",
                    JOIN_MILLIS);
        }
    }

    private synchronized NotifyLibc libc() throws IOException {
        if (lib == null) {
            lib = NotifyLibc.load();
        }
        return lib;
    }

    /** Starts the thread and its wake-up fd, the first time. Holding this. */
    private void start() throws IOException {
        if (thread != null) {
            return;
        }
        int fd = lib.eventFd();
        if (fd < 0) {
            throw new IOException("cannot start the notify receiver: no eventfd (" + NotifyLibc.describe(
                    NotifyLibc.errno()) + ").");
        }
        wakeFd = fd;
        message = new NotifyMessage(lib);
        thread = new Thread(null, this::run, THREAD_NAME, STACK_BYTES);
        thread.setDaemon(true);
        thread.start();
    }

    /** Tells the thread to look at its queues (and at closed), in poll or parked. Holding this. */
    private void wake() {
        if (wakeFd < 0) {
            return;
        }
        if (lib.signal(wakeFd) < 0 && NotifyLibc.errno() != NotifyLibc.EAGAIN) {
            LOG.warn("cannot wake the notify thread: errno {}", NotifyLibc.errno());
        }
        LockSupport.unpark(thread);
    }

    private synchronized boolean closing() {
        return closed;
    }

    private void closeSocket(Socket s) {
        if (!s.shut()) {
            return;
        }
        Thread t;
        synchronized (this) {
            t = thread;
            if (wakeFd < 0) {
                // No thread polls it (it has ended, or this socket never reached it): close it here.
                s.release();
                return;
            }
            if (t != Thread.currentThread()) {
                removed.add(s);
                wake();
            }
        }
        if (t == Thread.currentThread()) {
            // From a sink, on the thread itself: nothing polls it now; the next turn leaves it out.
            s.release();
            stale = true;
            return;
        }
        try {
            if (!s.gone.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("notify socket {} is closed once the notify thread leaves a sink that blocks", s);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Object fileKey(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            // Removed already (by someone else): close will have nothing to remove.
            return null;
        }
    }

    /** Removes the socket file, if it is still the one bound (not a file someone put there since). */
    private static void unlink(Path path, Object fileKey) {
        try {
            if (fileKey != null && fileKey.equals(fileKey(path))) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove notify socket {}: {}", path, e.toString());
        }
    }

    private static String cannotOpen(String address, int errno) {
        String why = NotifyLibc.describe(errno);
        if (errno == NotifyLibc.EADDRINUSE) {
            why = address.charAt(0) == '@' ? "another socket has that abstract name" : "a file exists there";
        }
        return "cannot open notify socket " + address + ": " + why + ".";
    }

    private void run() {
        try {
            while (!closing()) {
                try {
                    turn();
                } catch (Throwable t) {
                    // Not a sink (those are caught one by one): a bug, or the heap ran out. Receiving
                    // must go on; never spin on it.
                    LOG.error("the notify thread failed; it goes on in 100 ms", t);
                    LockSupport.parkNanos(100_000_000L);
                }
            }
        } finally {
            synchronized (this) {
                for (Socket s; (s = added.poll()) != null; ) {
                    sockets.add(s);
                }
                removed.clear();
                for (Socket s : sockets) {
                    s.release();
                }
                sockets.clear();
                lib.close(wakeFd);
                wakeFd = -1;
            }
        }
    }

    /**
     * Takes the new and closed sockets, waits in poll(2) for any socket or a wake-up, and takes what
     * is there; with no socket at all, parks until one is opened.
     */
    private void turn() {
        for (Socket s; (s = added.poll()) != null; ) {
            sockets.add(s);
            stale = true;
        }
        for (Socket s; (s = removed.poll()) != null; ) {
            s.release();
            stale = true;
        }
        if (stale) {
            fillPollFds();
        }
        if (polled.isEmpty()) {
            // Nothing to poll: wait in Java (see the class comment). open and close wake after they
            // queue, so a socket queued since the look above leaves a permit and park returns at once.
            if (added.isEmpty() && removed.isEmpty() && !closing()) {
                LockSupport.park(this);
            }
            return;
        }
        int ready = lib.poll(pollFds.buffer(), polled.size() + 1, -1);
        if (ready < 0) {
            int errno = NotifyLibc.errno();
            if (errno != NotifyLibc.EINTR) {
                // Not seen in practice (EFAULT, EINVAL, ENOMEM); never spin on it.
                LOG.warn("poll failed with errno {}; trying again in 100 ms", errno);
                LockSupport.parkNanos(100_000_000L);
            }
            return;
        }
        if (pollFds.revents(0) != 0) {
            // Only resets the counter; what changed is in the queues.
            lib.reset(wakeFd);
        }
        for (int i = 0; i < polled.size(); i++) {
            short revents = pollFds.revents(i + 1);
            Socket s = polled.get(i);
            if (revents == 0 || s.released.get()) {
                continue;
            }
            if ((revents & NotifyLibc.POLLNVAL) != 0) {
                // Not ours any more: its number may already name another file, which must not be closed.
                LOG.warn("the fd of notify socket {} was closed under the notify thread", s);
                s.lost();
                stale = true;
            } else {
                drain(s);
            }
        }
    }

    /** Takes up to DRAIN_PER_TURN datagrams from {@code s}, handing the good ones to its sink. */
    private void drain(Socket s) {
        for (int i = 0; i < DRAIN_PER_TURN && !s.released.get(); i++) {
            long n = message.receive(s.fd);
            if (n < 0) {
                int errno = NotifyLibc.errno();
                if (errno != NotifyLibc.EAGAIN && errno != NotifyLibc.EINTR) {
                    // Not seen on a bound AF_UNIX datagram socket; a socket that keeps failing must
                    // not keep poll returning at once.
                    LOG.warn("receiving on notify socket {} failed with errno {}; it is no longer read", s, errno);
                    s.broken = true;
                    stale = true;
                }
                return;
            }
            if (message.fds() > 0) {
                passedFds.add(message.fds());
                if (!s.toldOfFds) {
                    s.toldOfFds = true;
                    LOG.warn("pid {} passed {} file descriptors over notify socket {}; they are closed (and later ones"
                            + " too, without a word)", message.pid(), message.fds(), s);
                }
            }
            String why = message.rejection();
            if (why != null) {
                dropped.increment();
                if (s.drops++ == 0) {
                    LOG.warn("dropped a datagram from pid {} on notify socket {}: {} (later drops are only counted)",
                            message.pid(), s, why);
                }
                continue;
            }
            if (s.closing.get()) {
                // Closed: what is still queued goes with the socket.
                return;
            }
            NotifyDatagram d = new NotifyDatagram(message.pid(), message.uid(), message.text());
            try {
                s.sink.accept(d);
            } catch (Throwable t) {
                if (s.sinkFailures++ == 0) {
                    LOG.warn("the sink of notify socket {} failed; the datagram is lost, receiving goes on", s, t);
                }
            }
        }
    }

    private void fillPollFds() {
        sockets.removeIf(s -> s.released.get());
        polled.clear();
        for (Socket s : sockets) {
            if (!s.broken) {
                polled.add(s);
            }
        }
        pollFds.ensure(polled.size() + 1);
        pollFds.set(0, wakeFd);
        for (int i = 0; i < polled.size(); i++) {
            pollFds.set(i + 1, polled.get(i).fd);
        }
        stale = false;
    }

}
