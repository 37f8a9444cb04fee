package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link PipeLines}, the one line splitter of every program's output, under any bytes cut into
 * any chunks: text, multi-byte characters, LF, CR, CR LF, runs past the 64 KiB line bound (of
 * ASCII, of a multi-byte character, of stray continuation bytes), random bytes. The lines are the
 * same however the bytes are chunked; there is one per line end (and one for a last line without
 * one), none lost; a line up to 64 KiB is handed over exactly as decoded; a longer one is cut
 * within the last character before the bound, decoded, and ends with the cut mark
 * (docs/config.md, "Long lines").
 */
class PipeLinesPropertiesTest {

    private static final int MAX = PipeLines.MAX_LINE_BYTES;

    @Provide
    Arbitrary<byte[]> outputs() {
        Arbitrary<byte[]> text = Arbitraries.strings().ofMaxLength(200).map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> ends = Arbitraries.of("\n", "\r", "\r\n", "\n\n", "\r\r\n").map(s -> s.getBytes(
                StandardCharsets.US_ASCII));
        Arbitrary<byte[]> chars = Arbitraries.of("é", "€", "😀", "a", "\u0000", "\u001b[31m")
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> runs = net.jqwik.api.Combinators.combine(
                Arbitraries.of(new byte[] {'a'}, new byte[] {(byte) 0x80}, "€".getBytes(StandardCharsets.UTF_8),
                        "😀".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xff}),
                Arbitraries.integers().between(MAX - 8, MAX + 8).injectDuplicates(0.1).flatMap(n ->
                        Arbitraries.of(n, n / 2, 2 * MAX + 1, n)))
                .as((unit, bytes) -> {
                    byte[] out = new byte[bytes];
                    for (int i = 0; i < bytes; i++) {
                        out[i] = unit[i % unit.length];
                    }
                    return out;
                });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> piece = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, text),
                net.jqwik.api.Tuple.of(4, ends), net.jqwik.api.Tuple.of(3, chars), net.jqwik.api.Tuple.of(1, runs),
                net.jqwik.api.Tuple.of(2, random));
        return piece.list().ofMaxSize(12).map(PipeLinesPropertiesTest::concat);
    }

    @Provide
    Arbitrary<List<Integer>> chunks() {
        return Arbitraries.oneOf(Arbitraries.integers().between(1, 10),
                Arbitraries.integers().between(1, 70_000)).list().ofMinSize(1).ofMaxSize(10);
    }

    @Property(seed = "20261207", tries = 500)
    void linesDoNotDependOnChunksAndEachIsWholeOrSaysItWasCut(@ForAll("outputs") byte[] output,
            @ForAll("chunks") List<Integer> chunks) {
        List<String> whole = split(output, List.of(Math.max(1, output.length)));
        List<String> chunked = split(output, chunks);
        assertEquals(whole, chunked, "the same lines however the bytes come");

        List<byte[]> source = sourceLines(output);
        assertEquals(source.size(), whole.size(), "one line per line end, none lost");
        for (int i = 0; i < source.size(); i++) {
            byte[] s = source.get(i);
            String got = whole.get(i);
            if (s.length <= MAX) {
                assertEquals(new String(s, StandardCharsets.UTF_8), got, "line " + i + " as written");
                continue;
            }
            assertTrue(got.endsWith(PipeLines.CUT_MARK), "a line of " + s.length + " bytes says it was cut");
            String kept = got.substring(0, got.length() - PipeLines.CUT_MARK.length());
            boolean matches = false;
            for (int end = MAX; end >= MAX - 3 && !matches; end--) {
                matches = kept.equals(new String(s, 0, end, StandardCharsets.UTF_8));
            }
            assertTrue(matches, "a line of " + s.length + " bytes cut within 3 bytes of 64 KiB: kept "
                    + kept.getBytes(StandardCharsets.UTF_8).length + " bytes");
        }
    }

    private static List<String> split(byte[] output, List<Integer> chunks) {
        List<String> lines = new ArrayList<>();
        PipeLines p = new PipeLines(lines::add);
        int at = 0;
        for (int i = 0; at < output.length; i++) {
            int n = Math.min(chunks.get(i % chunks.size()), output.length - at);
            // accept takes bytes from buf[0], as the poll reader hands them: copy the chunk out.
            p.accept(Arrays.copyOfRange(output, at, at + n), n);
            at += n;
        }
        p.finish();
        return lines;
    }

    /** The lines as written: split at LF, CR LF and a lone CR; a last one without an end if it has bytes. */
    private static List<byte[]> sourceLines(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' || b[i] == '\r') {
                out.add(line.toByteArray());
                line.reset();
                if (b[i] == '\r' && i + 1 < b.length && b[i + 1] == '\n') {
                    i++;
                }
            } else {
                line.write(b[i]);
            }
        }
        if (line.size() > 0) {
            out.add(line.toByteArray());
        }
        return out;
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        parts.forEach(b::writeBytes);
        return b.toByteArray();
    }
}
