package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentinel.testing.Await;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TtyInputTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void keysArriveThroughTheBufferAndSayWhenTheyDo() throws IOException {
        PipedOutputStream typing = new PipedOutputStream();
        TtyInput in = new TtyInput(new PipedInputStream(typing));
        AtomicInteger told = new AtomicInteger();
        in.onInput(told::incrementAndGet);
        in.start();
        assertEquals(0, in.available(), "nothing typed: a poll finds nothing and does not wait");
        typing.write("q".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        Await.until(WAIT, "the key in the buffer", () -> in.available() == 1);
        Await.until(WAIT, "the listener told", () -> told.get() >= 1);
        assertEquals('q', in.read());
        typing.write("\u001b[Aé".getBytes(StandardCharsets.UTF_8));
        typing.flush();
        Await.until(WAIT, "an arrow and a two-byte character", () -> in.available() == 5);
        byte[] b = new byte[16];
        assertEquals(5, in.read(b, 0, 16));
        assertEquals("\u001b[Aé", new String(b, 0, 5, StandardCharsets.UTF_8));
        int before = told.get();
        typing.close();
        Await.until(WAIT, "the end told", () -> told.get() > before);
        assertEquals(-1, in.read(), "the end of input, once the buffer is empty");
    }

    @Test
    void closingTheKeysAsTheOpenerOpensThemEndsAReadBlockedOnThem(@TempDir Path dir) throws Exception {
        // A FIFO stands in for the terminal: a read on it blocks until a key comes, as on /dev/tty.
        Path fifo = dir.resolve("tty");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        try (RandomAccessFile typist = new RandomAccessFile(fifo.toFile(), "rw")) {
            Set<Thread> before = keyThreads();
            TtyInput in = new TtyInput(TtyTerminalOpener.keys(fifo)).start();
            Thread reader = keyThreads().stream().filter(t -> !before.contains(t)).findFirst().orElseThrow();
            Await.until(WAIT, "the key thread blocks in read(2)", () -> {
                StackTraceElement[] stack = reader.getStackTrace();
                return stack.length > 0 && stack[0].isNativeMethod();
            });
            in.close();
            // Left in read(2), in native code, it would hold the JVM's exit up 300 ms (issue 18).
            Await.until(WAIT, "the key thread ends", () -> !reader.isAlive());
            assertEquals(-1, in.read(), "the input has ended");
        }
    }

    private static Set<Thread> keyThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("sentinel-keys"))
                .collect(Collectors.toSet());
    }
}
