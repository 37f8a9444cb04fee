package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.Child;
import dev.sentinel.platform.CommandResolver;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Libc;
import dev.sentinel.platform.LibcSignaller;
import dev.sentinel.platform.OutputSink;
import dev.sentinel.platform.SetsidLauncher;
import dev.sentinel.platform.Signal;
import dev.sentinel.testing.HostileOutput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's text path under the same worst output as {@code HostileOutputTest}: a real child
 * writing to a real pipe, read by Sentinel's real reader, each line into the program's
 * {@link OutputRings} ring as the dashboard's sink does it. The ring stays within its line count and
 * memory budget, each kept line is at most {@link TextSanitizer#MAX_INPUT} characters with no
 * control character, escape or surrogate half left, and every line arrives, in order.
 */
@Timeout(120)
class HostileOutputRingsTest {

    @TempDir
    Path dir;

    @Test
    void theDashboardsRingStaysBoundedAndCleanUnderHostileOutput() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(HostileOutput.PYTHON)), "the program needs "
                + HostileOutput.PYTHON);
        Path script = dir.resolve("hostile.py");
        Files.writeString(script, HostileOutput.script(false));
        OutputRings rings = new OutputRings();
        OutputBuffer ring = rings.of("hostile");
        CountDownLatch ended = new CountDownLatch(1);
        AtomicLong maxBytes = new AtomicLong();
        List<Integer> rawLengths = new ArrayList<>();
        OutputSink sink = new OutputSink() {
            @Override
            public void line(Stream stream, String text) {
                synchronized (rawLengths) {
                    rawLengths.add(text.length());
                }
                ring.add(stream == Stream.STDOUT ? OutputLine.Source.STDOUT : OutputLine.Source.STDERR, text);
                maxBytes.accumulateAndGet(ring.bytes(), Math::max);
            }

            @Override
            public void end(Stream stream) {
                if (stream == Stream.STDOUT) {
                    ended.countDown();
                }
            }
        };
        CommandResolver resolver = CommandResolver.fromEnvironment();
        SetsidLauncher launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), true);
        Child child = launcher.launch(new LaunchSpec(List.of(HostileOutput.PYTHON, script.toString()), sink));
        try {
            assertTrue(ended.await(90, TimeUnit.SECONDS), "the program's stdout ends");
        } finally {
            new LibcSignaller(new Libc()).signalGroup(child.pgid(), Signal.KILL);
            child.release();
            launcher.close();
        }

        List<String> expected = HostileOutput.lines("a".repeat(TextSanitizer.MAX_INPUT),
                "b".repeat(TextSanitizer.MAX_INPUT));
        List<OutputLine> kept = ring.window(OutputRings.LINES, 0);
        assertEquals(expected.size(), kept.size(), "every line, none lost");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(TextSanitizer.clean(expected.get(i)), kept.get(i).text(), "line " + i);
        }
        synchronized (rawLengths) {
            // The reader cut the 100 MiB and the 10 MiB at 64 KiB before the ring saw them.
            assertTrue(rawLengths.stream().allMatch(n -> n <= 64 * 1024 + 40), "lines as read: " + rawLengths);
        }
        assertTrue(maxBytes.get() <= OutputRings.perProgram(1), "the ring within its budget: " + maxBytes.get());
        for (OutputLine l : kept) {
            String t = l.text();
            assertTrue(t.length() <= TextSanitizer.MAX_INPUT, "a kept line of " + t.length() + " characters");
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                assertTrue(c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0) && !Character.isSurrogate(c),
                        "no control character, escape or surrogate half: U+" + Integer.toHexString(c) + " in " + t);
            }
        }
        // The escapes are gone and the text between them stays: what a terminal would have shown, drawn plainly.
        assertTrue(kept.get(6).text().contains("red") && kept.get(6).text().contains("link")
                && kept.get(6).text().contains("bell"), kept.get(6).text());
    }
}
