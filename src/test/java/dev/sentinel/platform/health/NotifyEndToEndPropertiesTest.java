package dev.sentinel.platform.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Sentinel guarding a real program with {@code ready = "notify"}; the program forwards
 * each datagram the test gives it (over a FIFO) to its {@code $NOTIFY_SOCKET}, so the datagrams
 * come from inside the tree, as a broken program's would. Per try: {@code RELOADING=1} (the
 * program is not ready), a random datagram (from the program, or from this JVM: a stranger),
 * then {@code READY=1}: the program is ready again, still the same pid, Sentinel alive, and its
 * stderr holds no exception and at most one line per kind of warning.
 *
 * <p>{@code WATCHDOG=trigger} is left out of the random datagrams: it is obeyed (a restart), as it
 * should be.
 */
class NotifyEndToEndPropertiesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern STATUS = Pattern.compile("^sender pid=(\\d+) state=RUNNING .* ready=(yes|no) ",
            Pattern.MULTILINE);
    private static final String PYTHON = "/usr/bin/python3";
    /** Reads [4-byte length][payload] frames from the FIFO and sends each as one datagram. */
    private static final String FORWARDER = String.join("\n",
            "import os, socket, struct, sys, time",
            "addr = os.environ['NOTIFY_SOCKET']",
            "addr = '\\0' + addr[1:] if addr.startswith('@') else addr",
            "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
            "f = open(sys.argv[1], 'rb', buffering=0)",
            "def take(n):",
            "    b = b''",
            "    while len(b) < n:",
            "        c = f.read(n - len(b))",
            "        if not c:",
            "            return None",
            "        b += c",
            "    return b",
            "while True:",
            "    h = take(4)",
            "    if h is None:",
            "        break",
            "    d = take(struct.unpack('>I', h)[0])",
            "    try:",
            "        s.sendto(d, addr)",
            "    except OSError as e:",
            "        print('send failed:', e, flush=True)",
            "time.sleep(600)",
            "");

    private static Path dir;
    private static Path socket;
    private static RunningProcess sentinel;
    private static DataOutputStream fifo;
    private static String pid;
    private static String notifyAddress;
    private static NotifyTestSender stranger;

    @BeforeContainer
    static void startSentinel() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)), "the forwarding program needs " + PYTHON);
        dir = Files.createTempDirectory("notify-fuzz");
        socket = dir.resolve("s.sock");
        Path script = dir.resolve("forward.py");
        Files.writeString(script, FORWARDER);
        Path pipe = dir.resolve("datagrams");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo");
        sentinel = RunningProcess.start(JavaPrograms.sentinel("--socket", socket.toString(), "--no-metrics",
                "--no-tui", "-m", "1G", "--ready", "notify", "--name", "sender", "--", PYTHON, script.toString(),
                pipe.toString()));
        // Opening blocks until the program opens its end.
        fifo = new DataOutputStream(Files.newOutputStream(pipe));
        Await.until(WAIT, () -> "the program to run; stderr: " + sentinel.stderr(), () -> status() != null);
        pid = status().group(1);
        notifyAddress = environ(pid, "NOTIFY_SOCKET");
        stranger = new NotifyTestSender();
        forward("READY=1".getBytes(StandardCharsets.US_ASCII));
        awaitReady("yes", "the first READY=1");
    }

    @AfterContainer
    static void stopSentinel() throws IOException {
        if (stranger != null) {
            stranger.close();
        }
        if (fifo != null) {
            fifo.close();
        }
        if (sentinel != null) {
            sentinel.signal("TERM");
            sentinel.awaitExit(WAIT);
            sentinel.close();
        }
        if (dir != null) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static void forward(byte[] payload) throws IOException {
        fifo.writeInt(payload.length);
        fifo.write(payload);
        fifo.flush();
    }

    private static String environ(String pid, String name) throws IOException {
        for (String kv : Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.ISO_8859_1)
                .split("\u0000")) {
            if (kv.startsWith(name + "=")) {
                return kv.substring(name.length() + 1);
            }
        }
        throw new IOException("no " + name + " in the environment of " + pid);
    }

    private static Matcher status() {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap("status\n".getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            while (c.read(buf.clear()) >= 0) {
                out.write(buf.array(), 0, buf.position());
            }
            Matcher m = STATUS.matcher(out.toString(StandardCharsets.UTF_8));
            return m.find() ? m : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void awaitReady(String yesOrNo, String after) {
        Await.until(WAIT, () -> "ready=" + yesOrNo + " after " + after + "; stderr: " + tail(sentinel.stderr()), () -> {
            Matcher m = status();
            return m != null && m.group(2).equals(yesOrNo);
        });
    }

    private static String tail(List<String> lines) {
        return lines.subList(Math.max(0, lines.size() - 10), lines.size()).toString();
    }

    @Provide
    Arbitrary<byte[]> datagrams() {
        return NotifyDatagramsPropertiesTest.notifyTexts();
    }

    @Property(seed = "20261207", tries = 200)
    void randomDatagramsNeverCostTheProgramOrSentinelAndTheNextReadyIsSeen(@ForAll("datagrams") byte[] payload,
            @ForAll boolean fromAStranger) throws IOException {
        String text = new String(payload, StandardCharsets.UTF_8);
        Assume.that(!text.contains("WATCHDOG=trigger"));
        forward("RELOADING=1".getBytes(StandardCharsets.US_ASCII));
        awaitReady("no", "RELOADING=1");
        if (fromAStranger) {
            stranger.send(notifyAddress, payload, 0);
        } else {
            forward(payload);
        }
        forward("READY=1".getBytes(StandardCharsets.US_ASCII));
        awaitReady("yes", "READY=1 after " + NotifyDatagramsPropertiesTest.describe(payload)
                + (fromAStranger ? " from a stranger" : ""));
        Matcher m = status();
        assertEquals(pid, m == null ? null : m.group(1), "the same program, never restarted");
        assertTrue(sentinel.process().isAlive(), "Sentinel is alive");
        List<String> stderr = sentinel.stderr();
        assertFalse(stderr.stream().anyMatch(l -> l.contains("Exception") || l.startsWith("\tat ")),
                "no exception: " + tail(stderr));
        assertTrue(stderr.stream().filter(l -> l.contains("dropped a datagram")).count() <= 1,
                "one warning of a dropped datagram at most: " + tail(stderr));
        assertTrue(stderr.stream().filter(l -> l.contains("ignored a notify datagram")).count() <= 1,
                "one line about strangers at most: " + tail(stderr));
    }
}
