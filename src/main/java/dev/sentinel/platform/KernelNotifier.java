package dev.sentinel.platform;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells of changes the kernel announces, so the supervisor loop can wake for them instead of
 * polling files: one daemon thread ({@value #THREAD_NAME}) waits in {@code poll(2)}, with no
 * timeout, on an inotify fd, any number of cgroup v1 eventfds, and an eventfd of its own that
 * wakes it for new eventfds and for {@link #close()}.
 *
 * <ul>
 * <li>{@link #onModify}: inotify {@code IN_MODIFY} on one file (cgroup v2 {@code cgroup.events},
 * {@code memory.events}). The watch is on the file, not its directory: a directory watch sees
 * kernfs changes only while the file's inode happens to be cached, and a watch pins it.</li>
 * <li>{@link #onV1Threshold}, {@link #onV1Oom}: cgroup v1 notifications, registered by writing
 * {@code "<eventfd> <fd of the file> [args]"} to {@code cgroup.event_control}.</li>
 * </ul>
 *
 * <p>Callbacks run on the notifier thread, at most once per registration per wake-up however
 * many events arrived, and never while the notifier's lock is held, so a callback may register
 * or close. They must be cheap (post a wake-up to the supervisor loop): a slow one delays all the
 * others. What changed is for the callback's owner to re-read; the kernel limits cgroup file
 * notifications to about one per 10 ms, deferring, not dropping, the rest.
 *
 * <p>A callback may still run once after its registration was closed, if it was already on its
 * way. The thread reads every event and counter it woke for, so it never spins.
 *
 * <p>One class of some 600 lines: a poll thread, its registrations and the native calls it binds
 * (inotify, eventfd, v1 event_control) change together, and a registration's life (register, wake,
 * close, the last callback) is only safe to reason about with the lock and the thread in one place.
 */
public final class KernelNotifier implements AutoCloseable {

    static final String THREAD_NAME = "sentinel-kernel-events";

    private static final Logger LOG = LoggerFactory.getLogger(KernelNotifier.class);

    private static final int IN_MODIFY = 0x2;
    private static final int IN_Q_OVERFLOW = 0x4000;
    private static final int IN_IGNORED = 0x8000;
    /** inotify_init1's and eventfd's flags have O_NONBLOCK's and O_CLOEXEC's values. */
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final short POLLIN = 0x1;
    private static final short POLLNVAL = 0x20;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;
    /** {@code struct pollfd}: int fd, short events, short revents. */
    private static final int POLLFD_BYTES = 8;
    /** Room for many {@code struct inotify_event}s (16 bytes each: a watched file's events carry no name). */
    private static final int INOTIFY_BUFFER = 4096;
    private static final long STACK_BYTES = 256 * 1024;
    private static final long JOIN_MILLIS = 2000;

    /** Why libc cannot be used here, or null. */
    /** poll, eventfd, read and close, as the output reader binds them; null where they cannot be had. */
    private static final LinuxPipes PIPES = LinuxPipes.load();
    private static final String BIND_ERROR = bind();

    /** A watch or an eventfd: closing it stops its callbacks. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final String unavailableWhy;
    private final int inotifyFd;
    private final int wakeFd;
    private final Thread thread;

    private final Object lock = new Object();
    // Guarded by lock:
    /** inotify gives one wd per inode: registrations on one file share it. */
    private final Map<Integer, Watch> watches = new HashMap<>();
    private final List<EventFdRegistration> eventFds = new ArrayList<>();
    /** Eventfds of closed registrations, left for the thread to close once they are out of its poll set. */
    private final List<Integer> toClose = new ArrayList<>();
    private boolean pollSetChanged = true;
    private boolean closed;

    private KernelNotifier(String unavailableWhy, int inotifyFd, int wakeFd) {
        this.unavailableWhy = unavailableWhy;
        this.inotifyFd = inotifyFd;
        this.wakeFd = wakeFd;
        this.thread = unavailableWhy != null ? null : new Thread(null, this::run, THREAD_NAME, STACK_BYTES);
        if (thread != null) {
            thread.setDaemon(true);
        }
    }

    /**
     * A running notifier; or, where inotify and eventfd cannot be had (not Linux, no JNA, an
     * architecture that numbers the flags otherwise, out of fds), an inert one whose
     * {@link #unavailableWhy()} says why and whose registrations all fail.
     */
    public static KernelNotifier start() {
        if (BIND_ERROR != null) {
            return new KernelNotifier(BIND_ERROR, -1, -1);
        }
        int in = inotify_init1(O_NONBLOCK | O_CLOEXEC);
        if (in < 0) {
            return new KernelNotifier("inotify_init1 failed: " + errnoText(Native.getLastError()), -1, -1);
        }
        int wake;
        try {
            wake = PIPES.eventFd();
        } catch (IOException e) {
            PIPES.close(in);
            return new KernelNotifier(e.getMessage(), -1, -1);
        }
        KernelNotifier n = new KernelNotifier(null, in, wake);
        n.thread.start();
        return n;
    }

    private static String bind() {
        if (!Platform.isLinux()) {
            return "not Linux";
        }
        if (!LinuxPipes.ARCHITECTURES.contains(System.getProperty("os.arch", "").toLowerCase(Locale.ROOT))) {
            return "the flags of inotify and eventfd are numbered otherwise on " + System.getProperty("os.arch");
        }
        if (PIPES == null) {
            return "poll(2) and eventfd(2) cannot be bound here";
        }
        try {
            Native.register(KernelNotifier.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return null;
        } catch (LinkageError | RuntimeException e) {
            return "cannot bind libc through JNA: " + e;
        }
    }

    /** Why nothing can be watched, or null if the notifier runs. */
    public String unavailableWhy() {
        return unavailableWhy;
    }

    /**
     * Runs {@code callback} on the notifier thread after each change of {@code file} (inotify
     * {@code IN_MODIFY}). A regular file's removal runs it once more and ends the watch. A cgroup's
     * files raise nothing when the cgroup is removed, and their watches (each pinning the removed
     * file's inode) stay until closed: close the registration when the cgroup goes.
     */
    public Registration onModify(Path file, Runnable callback) throws IOException {
        synchronized (lock) {
            ensureOpen();
            // Under the lock: the thread cannot look up the new wd before it is in the map.
            int wd = inotify_add_watch(inotifyFd, file.toString(), IN_MODIFY);
            if (wd < 0) {
                throw failure(file, "inotify_add_watch", Native.getLastError());
            }
            Watch w = watches.computeIfAbsent(wd, Watch::new);
            FileRegistration r = new FileRegistration(w, file, callback);
            w.registrations.add(r);
            return r;
        }
    }

    /**
     * Runs {@code callback} when the usage in {@code usageFile} ({@code memory.usage_in_bytes} or
     * {@code memory.memsw.usage_in_bytes}) crosses {@code bytes}, either way, and when the cgroup
     * is removed (the kernel then drops its side of the registration; close this one too). Usage
     * is a fuzzy, batched count: expect the event some pages late.
     */
    public Registration onV1Threshold(Path usageFile, Path eventControl, long bytes, Runnable callback)
            throws IOException {
        if (bytes < 0) {
            throw new IllegalArgumentException("a threshold of " + bytes + " bytes");
        }
        return onEventFd(usageFile, eventControl, " " + bytes, callback);
    }

    /**
     * Runs {@code callback} when the cgroup of {@code oomControl} ({@code memory.oom_control})
     * meets an OOM (at once if it is under one now), and when the cgroup is removed.
     */
    public Registration onV1Oom(Path oomControl, Path eventControl, Runnable callback) throws IOException {
        return onEventFd(oomControl, eventControl, "", callback);
    }

    private Registration onEventFd(Path target, Path eventControl, String arguments, Runnable callback)
            throws IOException {
        synchronized (lock) {
            ensureOpen();
        }
        int efd = PIPES.eventFd();
        try {
            // The file's fd is only read while the line is written: the kernel keeps the eventfd, not it.
            int tfd = open(target, O_RDONLY);
            try {
                int cfd = open(eventControl, O_WRONLY);
                try {
                    byte[] line = (efd + " " + tfd + arguments).getBytes(StandardCharsets.US_ASCII);
                    long n = write(cfd, line, new NativeLong(line.length)).longValue();
                    if (n != line.length) {
                        throw failure(eventControl, "writing \"" + new String(line, StandardCharsets.US_ASCII) + "\"",
                                n < 0 ? Native.getLastError() : 0);
                    }
                } finally {
                    PIPES.close(cfd);
                }
            } finally {
                PIPES.close(tfd);
            }
            synchronized (lock) {
                ensureOpen();
                EventFdRegistration r = new EventFdRegistration(efd, target, callback);
                eventFds.add(r);
                pollSetChanged = true;
                wake();
                return r;
            }
        } catch (IOException | RuntimeException e) {
            // Closing the eventfd also takes the kernel's registration, if it was made, away.
            PIPES.close(efd);
            throw e;
        }
    }

    /** Stops the thread and closes every fd (the thread closes them as it ends). */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            wake();
        }
        if (Thread.currentThread() == thread) {
            return;
        }
        try {
            thread.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("the kernel notifier thread is still in a callback; it closes its fds when that returns");
        }
    }

    /** For tests. */
    Thread thread() {
        return thread;
    }

    /** For tests: {inotify fd, wake-up eventfd}. */
    int[] ownFds() {
        return new int[] {inotifyFd, wakeFd};
    }

    private void ensureOpen() throws IOException {
        if (unavailableWhy != null) {
            throw new IOException("kernel notifications are unavailable: " + unavailableWhy);
        }
        if (closed) {
            throw new IOException("the kernel notifier is closed");
        }
    }

    /** Called with the lock held and the notifier open, so the wake-up fd is. */
    private void wake() {
        if (PIPES.addToEventFd(wakeFd, 1) < 0 && LinuxPipes.errno() != EAGAIN) {
            LOG.warn("cannot wake the kernel notifier: {}", errnoText(Native.getLastError()));
        }
    }

    // The thread:

    private void run() {
        ByteBuffer pollFds = ByteBuffer.allocateDirect(16 * POLLFD_BYTES).order(ByteOrder.nativeOrder());
        ByteBuffer buffer = ByteBuffer.allocateDirect(INOTIFY_BUFFER).order(ByteOrder.nativeOrder());
        EventFdRegistration[] polled = new EventFdRegistration[0];
        List<Registration> due = new ArrayList<>();
        boolean ownFdsLost = false;
        try {
            while (true) {
                int[] closing = null;
                boolean rebuild = false;
                synchronized (lock) {
                    if (closed) {
                        break;
                    }
                    if (pollSetChanged) {
                        polled = eventFds.toArray(new EventFdRegistration[0]);
                        closing = toClose.stream().mapToInt(Integer::intValue).toArray();
                        toClose.clear();
                        pollSetChanged = false;
                        rebuild = true;
                    }
                }
                if (rebuild) {
                    // No longer polled, so their numbers can go back to the process.
                    for (int fd : closing) {
                        PIPES.close(fd);
                    }
                    pollFds = pollSet(pollFds, polled);
                }
                int ready = PIPES.poll(pollFds, 2 + polled.length, -1);
                if (ready < 0) {
                    int errno = Native.getLastError();
                    if (errno != EINTR) {
                        // Not seen in practice (EFAULT, EINVAL, ENOMEM); never spin on it.
                        LOG.warn("poll failed: {}; trying again in 100 ms", errnoText(errno));
                        LockSupport.parkNanos(100_000_000L);
                    }
                    continue;
                }
                if (((revents(pollFds, 0) | revents(pollFds, 1)) & POLLNVAL) != 0) {
                    // Someone closed our fds: their numbers may name other files now, which must not be read or closed.
                    LOG.error("the kernel notifier's own fds were closed under it; it stops");
                    ownFdsLost = true;
                    break;
                }
                if (revents(pollFds, 0) != 0) {
                    // Only resets the counter: the new eventfds are in the list.
                    PIPES.read(wakeFd, buffer, Long.BYTES);
                }
                if (revents(pollFds, 1) != 0) {
                    readInotify(buffer, due);
                }
                for (int i = 0; i < polled.length; i++) {
                    short revents = revents(pollFds, 2 + i);
                    if (revents != 0) {
                        eventFdReady(polled[i], revents, buffer, due);
                    }
                }
                for (Registration r : due) {
                    deliver(r);
                }
                due.clear();
            }
        } catch (Throwable t) {
            LOG.error("the kernel notifier failed; no more kernel events are seen", t);
        } finally {
            shutDown(ownFdsLost);
        }
    }

    /** The poll set: the wake-up fd, the inotify fd, then the eventfds in {@code polled}'s order. */
    private ByteBuffer pollSet(ByteBuffer pollFds, EventFdRegistration[] polled) {
        int bytes = (2 + polled.length) * POLLFD_BYTES;
        ByteBuffer b = pollFds;
        if (b.capacity() < bytes) {
            b = ByteBuffer.allocateDirect(Math.max(bytes, 2 * b.capacity())).order(ByteOrder.nativeOrder());
        }
        entry(b, 0, wakeFd);
        entry(b, 1, inotifyFd);
        for (int i = 0; i < polled.length; i++) {
            entry(b, 2 + i, polled[i].fd);
        }
        return b;
    }

    private static void entry(ByteBuffer pollFds, int index, int fd) {
        int at = index * POLLFD_BYTES;
        pollFds.putInt(at, fd);
        pollFds.putShort(at + 4, POLLIN);
        pollFds.putShort(at + 6, (short) 0);
    }

    private void readInotify(ByteBuffer buffer, List<Registration> due) {
        List<Integer> changed = new ArrayList<>();
        boolean overflow = false;
        long n;
        while ((n = PIPES.read(inotifyFd, buffer, INOTIFY_BUFFER)) > 0) {
            for (int at = 0; at + 16 <= n; ) {
                int wd = buffer.getInt(at);
                int mask = buffer.getInt(at + 4);
                int len = buffer.getInt(at + 12);
                if ((mask & IN_Q_OVERFLOW) != 0) {
                    overflow = true;
                } else if ((mask & IN_IGNORED) != 0) {
                    // The kernel dropped the watch (a regular file was deleted), or we did (its wd is no longer mapped).
                    ignored(wd, due);
                } else {
                    changed.add(wd);
                }
                at += 16 + len;
            }
        }
        int errno = Native.getLastError();
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
            LOG.warn("reading inotify events failed: {}; trying again in 100 ms", errnoText(errno));
            LockSupport.parkNanos(100_000_000L);
        }
        synchronized (lock) {
            if (overflow) {
                // Events were lost: every watcher re-reads.
                for (Watch w : watches.values()) {
                    addAll(due, w.registrations);
                }
            }
            for (int wd : changed) {
                Watch w = watches.get(wd);
                if (w != null) {
                    addAll(due, w.registrations);
                }
            }
        }
    }

    private void ignored(int wd, List<Registration> due) {
        synchronized (lock) {
            Watch w = watches.remove(wd);
            if (w != null) {
                w.gone = true;
                addAll(due, w.registrations);
            }
        }
    }

    private void eventFdReady(EventFdRegistration r, short revents, ByteBuffer buffer, List<Registration> due) {
        if ((revents & POLLIN) == 0) {
            // Not seen from an eventfd (POLLERR needs a counter at 2^64 - 1); never spin on it.
            LOG.warn("the eventfd of {} reported poll events {}; it is no longer watched", r.target, revents);
            synchronized (lock) {
                if (eventFds.remove(r) && (revents & POLLNVAL) == 0) {
                    toClose.add(r.fd);
                }
                pollSetChanged = true;
            }
        } else {
            // Resets the counter; EAGAIN if the fd was read already is harmless.
            PIPES.read(r.fd, buffer, Long.BYTES);
        }
        if (!due.contains(r)) {
            due.add(r);
        }
    }

    private static void addAll(List<Registration> due, List<FileRegistration> registrations) {
        for (FileRegistration r : registrations) {
            if (!due.contains(r)) {
                due.add(r);
            }
        }
    }

    private static void deliver(Registration r) {
        Runnable callback;
        Object what;
        if (r instanceof FileRegistration f) {
            if (f.closed) {
                return;
            }
            callback = f.callback;
            what = f.file;
        } else {
            EventFdRegistration e = (EventFdRegistration) r;
            if (e.closed) {
                return;
            }
            callback = e.callback;
            what = e.target;
        }
        try {
            callback.run();
        } catch (Throwable t) {
            LOG.warn("the callback for {} failed", what, t);
        }
    }

    private void shutDown(boolean ownFdsLost) {
        List<Integer> fds = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            for (EventFdRegistration r : eventFds) {
                fds.add(r.fd);
            }
            fds.addAll(toClose);
            eventFds.clear();
            toClose.clear();
            watches.clear();
        }
        for (int fd : fds) {
            PIPES.close(fd);
        }
        if (!ownFdsLost) {
            PIPES.close(inotifyFd);
            PIPES.close(wakeFd);
        }
    }

    private static short revents(ByteBuffer pollFds, int index) {
        return pollFds.getShort(index * POLLFD_BYTES + 6);
    }

    /** One inode's inotify watch and who waits for it. Guarded by the notifier's lock. */
    private static final class Watch {
        final int wd;
        final List<FileRegistration> registrations = new ArrayList<>();
        /** The kernel removed the watch: its wd may be handed out again and must not be removed. */
        boolean gone;

        Watch(int wd) {
            this.wd = wd;
        }
    }

    private final class FileRegistration implements Registration {
        final Watch watch;
        final Path file;
        final Runnable callback;
        volatile boolean closed;

        FileRegistration(Watch watch, Path file, Runnable callback) {
            this.watch = watch;
            this.file = file;
            this.callback = callback;
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                watch.registrations.remove(this);
                if (watch.registrations.isEmpty() && !watch.gone && !KernelNotifier.this.closed) {
                    watches.remove(watch.wd);
                    watch.gone = true;
                    // The IN_IGNORED this raises finds no watch and is dropped.
                    inotify_rm_watch(inotifyFd, watch.wd);
                }
            }
        }
    }

    private final class EventFdRegistration implements Registration {
        final int fd;
        final Path target;
        final Runnable callback;
        volatile boolean closed;

        EventFdRegistration(int fd, Path target, Runnable callback) {
            this.fd = fd;
            this.target = target;
            this.callback = callback;
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                // The thread may be polling it: it closes the fd once it has let go of it.
                if (eventFds.remove(this)) {
                    toClose.add(fd);
                    pollSetChanged = true;
                    wake();
                }
            }
        }
    }

    private static int open(Path file, int flags) throws IOException {
        int fd = open(file.toString(), flags | O_CLOEXEC, 0);
        if (fd < 0) {
            throw failure(file, "open", Native.getLastError());
        }
        return fd;
    }

    private static IOException failure(Path file, String call, int errno) {
        return switch (errno) {
            case 2 -> new NoSuchFileException(file.toString(), null, call);
            case 13 -> new AccessDeniedException(file.toString(), null, call);
            default -> new IOException(file + ": " + call + " failed: " + errnoText(errno));
        };
    }

    private static String errnoText(int errno) {
        String name = switch (errno) {
            case 0 -> "a short write";
            case 2 -> "ENOENT";
            case 9 -> "EBADF";
            case 13 -> "EACCES";
            case 22 -> "EINVAL";
            case 24 -> "EMFILE (too many open files)";
            case 28 -> "ENOSPC (fs.inotify.max_user_watches reached)";
            case 38 -> "ENOSYS";
            default -> null;
        };
        return name == null ? "errno " + errno : name;
    }

    // Direct mapping: the names and signatures are libc's (size_t and ssize_t as NativeLong).
    // Buffers are direct and read from position 0. open is variadic; the mode is unused without O_CREAT.
    private static native int inotify_init1(int flags);

    private static native int inotify_add_watch(int fd, String path, int mask);

    private static native int inotify_rm_watch(int fd, int wd);

    private static native int open(String path, int flags, int mode);

    private static native NativeLong write(int fd, byte[] buf, NativeLong count);

}
