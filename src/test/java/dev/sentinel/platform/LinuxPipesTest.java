package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The libc calls of the poll reader, as the reader uses them. */
class LinuxPipesTest {

    private final LinuxPipes os = LinuxPipes.load();

    /** The octal flags of {@code fd}, from /proc/self/fdinfo. */
    private static int flags(int fd) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            if (l.startsWith("flags:")) {
                return Integer.parseInt(l.substring("flags:".length()).trim(), 8);
            }
        }
        throw new AssertionError("no flags for fd " + fd);
    }

    @Test
    void aPipeIsCloseOnExecAndOnlyItsReadEndBecomesNonBlocking() throws Exception {
        assertNotNull(os);
        int[] fds = os.pipe();
        try {
            os.nonBlocking(fds[0]);
            assertTrue((flags(fds[0]) & LinuxPipes.O_CLOEXEC) != 0, "read end close-on-exec");
            assertTrue((flags(fds[1]) & LinuxPipes.O_CLOEXEC) != 0, "write end close-on-exec");
            assertTrue((flags(fds[0]) & LinuxPipes.O_NONBLOCK) != 0, "read end non-blocking");
            assertEquals(0, flags(fds[1]) & LinuxPipes.O_NONBLOCK, "write end blocking");
            ByteBuffer buf = ByteBuffer.allocateDirect(16);
            assertEquals(-1, os.read(fds[0], buf, 16), "nothing to read yet");
            assertEquals(LinuxPipes.EAGAIN, LinuxPipes.errno());
            // The way a child gets the write end: a reopen through /proc, in blocking mode of its own.
            Files.writeString(Path.of("/proc/self/fd/" + fds[1]), "hi\n");
            assertEquals(3, os.read(fds[0], buf, 16));
            assertEquals('h', buf.get(0));
            assertEquals(0, os.close(fds[1]));
            fds[1] = -1;
            assertEquals(0, os.read(fds[0], buf, 16), "the end once no write end is open");
        } finally {
            os.close(fds[0]);
            if (fds[1] >= 0) {
                os.close(fds[1]);
            }
        }
    }

    @Test
    void anEventFdWakesAPoll() throws Exception {
        assertNotNull(os);
        int fd = os.eventFd();
        try {
            ByteBuffer pollFds = ByteBuffer.allocateDirect(LinuxPipes.POLLFD_BYTES).order(ByteOrder.nativeOrder());
            pollFds.putInt(0, fd).putShort(4, LinuxPipes.POLLIN);
            assertEquals(0, os.poll(pollFds, 1, 0), "nothing yet");
            assertEquals(Long.BYTES, os.addToEventFd(fd, 1));
            assertEquals(Long.BYTES, os.addToEventFd(fd, 1));
            assertEquals(1, os.poll(pollFds, 1, 0));
            assertEquals(LinuxPipes.POLLIN, pollFds.getShort(6));
            ByteBuffer counter = ByteBuffer.allocateDirect(Long.BYTES).order(ByteOrder.nativeOrder());
            assertEquals(Long.BYTES, os.read(fd, counter, Long.BYTES));
            assertEquals(2, counter.getLong(0), "one read takes every wake-up");
            assertEquals(0, os.poll(pollFds, 1, 0), "and resets it");
        } finally {
            os.close(fd);
        }
    }
}
