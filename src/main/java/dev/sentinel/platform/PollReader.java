package dev.sentinel.platform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that reads the captured output of every program: it waits in {@code poll(2)} over
 * the read ends of all their pipes, and a wake-up eventfd that tells it of new pipes, with no
 * timeout, so it costs no CPU while the programs are quiet. Fifty programs cost one thread, not a
 * hundred (a Java thread costs about 100 KiB of resident memory, mostly the stack pages HotSpot
 * touches).
 *
 * <p>The pipes are non-blocking. Each turn reads at most one buffer (64 KiB, a whole default pipe)
 * from every pipe that has something, so a flooding program gets its share and a quiet program's
 * line waits at most one turn. The bytes are cut into lines by {@link PipeLines}, as the pump
 * threads cut them, and given to the pipe's sink. A read that returns 0 is the end: the pipe is
 * closed, its last unterminated line handed over and {@link OutputSink#end} called. That is when
 * every holder of the write end has let go, the program's grandchildren included.
 *
 * <p>Sinks must not block, and none of Sentinel's does (they queue, or drop and count). A sink
 * that throws loses that line; the error is logged (once per pipe) and reading goes on: a reader
 * that stopped would stall every program on a full pipe.
 *
 * <p>With no pipe to read it waits in Java ({@link LockSupport#park}), not in {@code poll(2)} on
 * its wake-up fd alone: a thread blocked in native code when the JVM exits holds the exit up by
 * 300 ms (HotSpot waits that long for threads in native code to stop), and Sentinel exits once
 * its programs' pipes have ended.
 *
 * <p>Started with the first pipe; an instance made for a test can be {@link #close()}d.
 */
final class PollReader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PollReader.class);
    private static final int READ_BYTES = 64 * 1024;
    private static final long STACK_BYTES = 256 * 1024;
    private static final long JOIN_MILLIS = 2000;

    /** One pipe's read end and where its lines go. Touched by the reader thread only, once added. */
    private static final class Pipe {
        final int fd;
        final OutputSink.Stream stream;
        final OutputSink sink;
        final PipeLines lines;
        long failures;

        Pipe(int fd, OutputSink.Stream stream, OutputSink sink) {
            this.fd = fd;
            this.stream = stream;
            this.sink = sink;
            this.lines = new PipeLines(this::deliver);
        }

        void deliver(String text) {
            try {
                sink.line(stream, text);
            } catch (Throwable t) {
                failed("a line", t);
            }
        }

        void end() {
            try {
                sink.end(stream);
            } catch (Throwable t) {
                failed("the end", t);
            }
            if (failures > 1) {
                LOG.warn("the output sink of fd {} ({}) failed {} times in all", fd, stream, failures);
            }
        }

        private void failed(String what, Throwable t) {
            if (failures++ == 0) {
                LOG.warn("the output sink of fd {} ({}) failed on {}; the output goes on being read", fd, stream,
                        what, t);
            }
        }
    }

    private final LinuxPipes os;
    private final int wakeFd;
    private final Queue<Pipe> added = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private boolean started;
    private boolean closed;

    // The reader thread's own:
    private final List<Pipe> pipes = new ArrayList<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BYTES);
    private final byte[] chunk = new byte[READ_BYTES];
    private final PollFds pollFds = new PollFds();
    /** pollFds no longer matches pipes. */
    private boolean stale = true;

    PollReader(LinuxPipes os) throws IOException {
        this.os = os;
        this.wakeFd = os.eventFd();
        this.thread = new Thread(null, this::run, "output-reader", STACK_BYTES);
        thread.setDaemon(true);
    }

    LinuxPipes os() {
        return os;
    }

    /**
     * Reads {@code fd} (a pipe's read end, made non-blocking here) from now on, handing its lines to
     * {@code sink} until it ends; then closes it. The fd belongs to the reader from this call on.
     */
    void add(int fd, OutputSink.Stream stream, OutputSink sink) {
        Pipe p = new Pipe(fd, stream, sink);
        try {
            os.nonBlocking(fd);
        } catch (IOException e) {
            // Cannot happen to a pipe we made; a blocking read end would hold up every other pipe.
            LOG.warn("{}; its output is not read", e.getMessage());
            closed(p);
            return;
        }
        synchronized (this) {
            if (!closed) {
                added.add(p);
                if (!started) {
                    started = true;
                    thread.start();
                }
                wake();
                LockSupport.unpark(thread);
                return;
            }
        }
        closed(p);
    }

    /** For tests: stops the thread, closing and ending every pipe it still reads, and the wake-up fd. */
    @Override
    public void close() {
        boolean running;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = started;
            if (running) {
                wake();
                LockSupport.unpark(thread);
            }
        }
        if (running) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                // Stuck in a sink: leave it the fd rather than close it under it.
                return;
            }
        }
        os.close(wakeFd);
    }

    /** For tests: the reader thread's state (WAITING when parked, RUNNABLE in poll(2) or reading). */
    Thread.State threadState() {
        return thread.getState();
    }

    private synchronized boolean closing() {
        return closed;
    }

    private void wake() {
        if (os.addToEventFd(wakeFd, 1) < 0 && LinuxPipes.errno() != LinuxPipes.EAGAIN) {
            LOG.warn("cannot wake the output reader: errno {}", LinuxPipes.errno());
        }
    }

    private void run() {
        try {
            while (!closing()) {
                try {
                    turn();
                } catch (Throwable t) {
                    // Not a sink (those are caught one by one): a bug, or the heap ran out. Reading
                    // must go on, or every program stalls on a full pipe; never spin on it.
                    LOG.error("the output reader failed; it goes on in 100 ms", t);
                    LockSupport.parkNanos(100_000_000L);
                }
            }
        } finally {
            for (Pipe p; (p = added.poll()) != null; ) {
                pipes.add(p);
            }
            for (Pipe p : pipes) {
                closed(p);
            }
            pipes.clear();
        }
    }

    /**
     * Takes the new pipes, waits in poll(2) for any pipe or a wake-up, and reads what is there; with
     * no pipe at all, parks until one is added.
     */
    private void turn() {
        for (Pipe p; (p = added.poll()) != null; ) {
            pipes.add(p);
            stale = true;
        }
        if (pipes.isEmpty()) {
            // Nothing to read: wait in Java (see the class comment). add and close unpark after they
            // queue, so a pipe added since the look above leaves a permit and park returns at once.
            if (added.isEmpty() && !closing()) {
                LockSupport.park(this);
            }
            return;
        }
        if (stale) {
            fillPollFds();
        }
        int ready = os.poll(pollFds.buffer(), pipes.size() + 1, -1);
        if (ready < 0) {
            int errno = LinuxPipes.errno();
            if (errno != LinuxPipes.EINTR) {
                // Not seen in practice (EFAULT, EINVAL, ENOMEM); never spin on it.
                LOG.warn("poll failed with errno {}; trying again in 100 ms", errno);
                LockSupport.parkNanos(100_000_000L);
            }
            return;
        }
        if (pollFds.revents(0) != 0) {
            // Only resets the counter; the new pipes are in the queue.
            os.read(wakeFd, readBuffer, Long.BYTES);
        }
        readReady();
    }

    /** Reads once from every pipe poll found ready; drops those that ended. */
    private void readReady() {
        boolean ended = false;
        try {
            for (int i = 0; i < pipes.size(); i++) {
                short revents = pollFds.revents(i + 1);
                if (revents == 0) {
                    continue;
                }
                Pipe p = pipes.get(i);
                if ((revents & LinuxPipes.POLLNVAL) != 0) {
                    // Not ours any more: its number may already name another file, which must not be closed.
                    LOG.warn("fd {} ({}) was closed under the output reader", p.fd, p.stream);
                    pipes.set(i, null);
                    ended = true;
                    ended(p);
                } else if (!readOnce(p)) {
                    pipes.set(i, null);
                    ended = true;
                    closed(p);
                }
            }
        } finally {
            if (ended) {
                pipes.removeIf(p -> p == null);
                stale = true;
            }
        }
    }

    /** Reads what {@code p} has; false when it has ended. */
    private boolean readOnce(Pipe p) {
        int n = os.read(p.fd, readBuffer, READ_BYTES);
        if (n > 0) {
            readBuffer.get(0, chunk, 0, n);
            p.lines.accept(chunk, n);
            return true;
        }
        if (n == 0) {
            return false;
        }
        int errno = LinuxPipes.errno();
        if (errno == LinuxPipes.EAGAIN || errno == LinuxPipes.EINTR) {
            return true;
        }
        LOG.warn("reading fd {} ({}) failed with errno {}; it is closed", p.fd, p.stream, errno);
        return false;
    }

    /** The pipe is done with: closes its fd, then hands over its last line and says it ended. */
    private void closed(Pipe p) {
        os.close(p.fd);
        ended(p);
    }

    private static void ended(Pipe p) {
        p.lines.finish();
        p.end();
    }

    private void fillPollFds() {
        pollFds.ensure(pipes.size() + 1);
        pollFds.set(0, wakeFd);
        for (int i = 0; i < pipes.size(); i++) {
            pollFds.set(i + 1, pipes.get(i).fd);
        }
        stale = false;
    }

}
