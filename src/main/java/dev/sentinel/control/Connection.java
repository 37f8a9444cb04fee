package dev.sentinel.control;

import dev.sentinel.text.Durations;
import dev.sentinel.core.Snapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * One client of the control socket, driven by the control thread's selector; nothing here ever
 * blocks. Its life: READING (at most one line of {@link ControlLimits#maxLineBytes()} bytes, within
 * {@link ControlLimits#idleTimeout()} of connecting), then AWAITING for an order (the supervisor
 * loop carries it out, within one of its iterations), then REPLYING (the reply is written as the
 * client takes it; a client that takes nothing for {@link ControlLimits#writeTimeout()} is dropped)
 * and closed; or WATCHING (a line per sample, dropped rather than queued past a small backlog).
 */
final class Connection implements ReadyHandler {

    private enum Phase { READING, AWAITING, REPLYING, WATCHING, CLOSED }

    /** Input a watcher may send (it should send nothing) before it is hung up on. */
    private static final int MAX_IGNORED_INPUT = 64 * 1024;

    private final ControlConnections server;
    private final AFUNIXSocketChannel channel;
    private final Peer peer;
    private final ControlLimits limits;
    private SelectionKey key;
    private Phase phase = Phase.READING;
    private byte[] line;
    private int lineLength;
    private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
    private int pendingBytes;
    private long readDeadline;
    private long writeDeadline;
    private long ignoredInput;
    private Command.Watch watch;
    private long watchedUpTo;
    /** For a watch of one program: its samples and state when its last line was sent. */
    private long programMark;
    private long droppedLines;

    Connection(ControlConnections server, AFUNIXSocketChannel channel, Peer peer, ControlLimits limits, long nowNanos) {
        this.server = server;
        this.channel = channel;
        this.peer = peer;
        this.limits = limits;
        this.readDeadline = nowNanos + limits.idleTimeout().toNanos();
    }

    void register(Selector selector) throws ClosedChannelException {
        key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    Peer peer() {
        return peer;
    }

    /** What this watch stream shows, or null if it is no watch. */
    Command.Watch watch() {
        return watch;
    }

    long droppedLines() {
        return droppedLines;
    }

    @Override
    public void ready(SelectionKey k) {
        if (!k.isValid()) {
            close();
            return;
        }
        if (k.isReadable()) {
            onReadable();
        }
        if (phase != Phase.CLOSED && k.isValid() && k.isWritable()) {
            flush();
        }
    }

    private void onReadable() {
        ByteBuffer scratch = server.scratch();
        scratch.clear();
        if (phase == Phase.READING) {
            scratch.limit(Math.min(scratch.capacity(), limits.maxLineBytes() + 2 - lineLength));
        }
        int n;
        try {
            n = channel.read(scratch);
        } catch (IOException e) {
            close();
            return;
        }
        if (n == 0) {
            // junixsocket 2.10 returns 0, not -1, at the end of input on a non-blocking channel. The
            // selector said readable, and a readable Unix stream socket with nothing to read is at its end.
            n = -1;
        }
        if (phase != Phase.READING) {
            ignoreInput(n);
            return;
        }
        if (n < 0) {
            // End of input: a last line without a newline (printf status | nc -U ...) still counts.
            if (lineLength == 0) {
                close();
            } else {
                handleLine(line, lineLength);
            }
            return;
        }
        if (line == null) {
            line = new byte[limits.maxLineBytes() + 2];
        }
        scratch.flip();
        int start = lineLength;
        scratch.get(line, lineLength, n);
        lineLength += n;
        for (int i = start; i < lineLength; i++) {
            if (line[i] == '\n') {
                handleLine(line, i);
                return;
            }
        }
        if (lineLength >= limits.maxLineBytes() + 2) {
            replyAndClose("ERR line too long: a command is at most " + limits.maxLineBytes() + " bytes; try 'help'\n");
        }
    }

    /** After the command line, input is ignored; a watcher that hangs up (EOF) ends its watch. */
    private void ignoreInput(int n) {
        if (n < 0) {
            if (phase == Phase.WATCHING) {
                close();
            } else if (key.isValid()) {
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            }
            return;
        }
        ignoredInput += n;
        if (ignoredInput > MAX_IGNORED_INPUT) {
            close();
        }
    }

    private void handleLine(byte[] bytes, int end) {
        int length = end > 0 && bytes[end - 1] == '\r' ? end - 1 : end;
        if (length > limits.maxLineBytes()) {
            replyAndClose("ERR line too long: a command is at most " + limits.maxLineBytes() + " bytes; try 'help'\n");
            return;
        }
        String text;
        try {
            text = server.decoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            replyAndClose("ERR the command is not valid UTF-8 text; send a line like 'status'; try 'help'\n");
            return;
        }
        line = null;
        server.handle(this, text);
    }

    /** The command was an order, handed to the supervisor loop: read nothing more until its reply. */
    void awaitReply() {
        phase = Phase.AWAITING;
        if (key.isValid()) {
            key.interestOps(0);
        }
    }

    /** Sends {@code reply} and closes once the client has taken it. */
    void replyAndClose(String reply) {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.REPLYING;
        enqueue(reply.getBytes(StandardCharsets.UTF_8));
        flush();
    }

    /**
     * Turns this connection into a watch stream that starts with {@code first}, the status of
     * snapshot {@code sequence}; {@code mark} is the watched program's in it, for a watch of one.
     */
    void startWatch(Command.Watch w, String first, long sequence, long mark) {
        phase = Phase.WATCHING;
        watch = w;
        watchedUpTo = sequence;
        programMark = mark;
        enqueue(first.getBytes(StandardCharsets.UTF_8));
        flush();
    }

    /**
     * Moves this watch stream on to {@code snapshot}: false if the stream has already had it or a
     * later one (or is not a watch stream), so each sample is sent once.
     */
    boolean advanceTo(Snapshot snapshot) {
        if (phase != Phase.WATCHING || snapshot.sequence() <= watchedUpTo) {
            return false;
        }
        watchedUpTo = snapshot.sequence();
        return true;
    }

    /** For a watch of one program: true (and remembered) if {@code mark} differs from the last line's. */
    boolean programChanged(long mark) {
        if (mark == programMark) {
            return false;
        }
        programMark = mark;
        return true;
    }

    /** Ends a watch stream with a last line, once the client has taken what is queued. */
    void endWatch(String last) {
        replyAndClose(last);
    }

    /** Adds a line to a watch stream, or drops it if the client is behind by more than the backlog allows. */
    void push(String text) {
        if (phase != Phase.WATCHING) {
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (pendingBytes + bytes.length > limits.maxWatchBacklogBytes()) {
            droppedLines++;
            return;
        }
        enqueue(bytes);
        flush();
    }

    private void enqueue(byte[] bytes) {
        if (out.isEmpty()) {
            writeDeadline = server.now() + limits.writeTimeout().toNanos();
            server.deadlineAt(writeDeadline);
        }
        out.add(ByteBuffer.wrap(bytes));
        pendingBytes += bytes.length;
    }

    private void flush() {
        if (phase == Phase.CLOSED) {
            return;
        }
        try {
            while (!out.isEmpty()) {
                ByteBuffer head = out.peek();
                int n = channel.write(head);
                if (n > 0) {
                    pendingBytes -= n;
                    // Later than before: the sweep already planned finds it not due and plans again.
                    writeDeadline = server.now() + limits.writeTimeout().toNanos();
                }
                if (head.hasRemaining()) {
                    break;
                }
                out.poll();
            }
        } catch (IOException e) {
            close();
            return;
        }
        if (out.isEmpty() && phase == Phase.REPLYING) {
            closeGracefully();
            return;
        }
        if (key.isValid()) {
            int read = phase == Phase.WATCHING ? SelectionKey.OP_READ : 0;
            key.interestOps(out.isEmpty() ? read : read | SelectionKey.OP_WRITE);
        }
    }

    /** The next moment {@link #expire} has something to enforce, or Long.MAX_VALUE. */
    long nextDeadline() {
        if (phase == Phase.CLOSED) {
            return Long.MAX_VALUE;
        }
        long next = Long.MAX_VALUE;
        if (phase == Phase.READING) {
            next = readDeadline;
        }
        if (!out.isEmpty()) {
            next = Math.min(next, writeDeadline);
        }
        return next;
    }

    /** Called by the server's sweep: enforces the idle and write deadlines. */
    void expire(long now) {
        if (phase == Phase.CLOSED) {
            return;
        }
        if (!isAlive()) {
            close();
        } else if (phase == Phase.READING && now - readDeadline >= 0) {
            replyAndClose("ERR no command within " + Durations.format(limits.idleTimeout())
                    + "; closing. Send one line, e.g. 'echo status | nc -U PATH'\n");
        } else if (!out.isEmpty() && now - writeDeadline >= 0) {
            close();
        }
    }

    /** Forgets this connection if its peer hung up. */
    void forgetIfClosed() {
        if (phase != Phase.CLOSED && !isAlive()) {
            close();
        }
    }

    /**
     * False once the peer has hung up. junixsocket's selector marks the key invalid when poll
     * reports a hang-up or an error, and from then on neither polls the channel nor hands the
     * key to the loop, so the sweep is where such a connection is noticed and closed.
     */
    private boolean isAlive() {
        return channel.isOpen() && (key == null || key.isValid());
    }

    /** Reads (and drops) what the client sent beyond its command, so closing does not reset its connection. */
    private void closeGracefully() {
        ControlConnections.drain(channel, server.scratch());
        close();
    }

    /** Closes at once; idempotent. */
    void close() {
        if (phase == Phase.CLOSED) {
            return;
        }
        phase = Phase.CLOSED;
        out.clear();
        pendingBytes = 0;
        try {
            channel.close();
        } catch (IOException e) {
            // closed anyway
        }
        server.forget(this);
    }

    /** One last non-blocking attempt to send what is queued, then close (Sentinel is exiting). */
    void closeAtExit() {
        if (phase == Phase.CLOSED) {
            return;
        }
        try {
            while (!out.isEmpty()) {
                ByteBuffer head = out.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    break;
                }
                out.poll();
            }
        } catch (IOException e) {
            // closing anyway
        }
        close();
    }
}
