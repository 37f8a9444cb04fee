package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one line splitter, fed as the poll reader feeds it (chunks cut anywhere) and as the pumps do (a stream). */
class PipeLinesTest {

    private static final String CUT = PipeLines.CUT_MARK;

    /** What the pump test's script writes: long lines, a cap inside a character, every line end, bad UTF-8. */
    private static byte[] everything() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes("x".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
        b.writeBytes("\nafter\nx".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes("é".repeat(40_000).getBytes(StandardCharsets.UTF_8));
        b.writeBytes("\ncrlf\r\nlone\rcr\n\n".getBytes(StandardCharsets.US_ASCII));
        b.writeBytes(new byte[] {'b', 'a', (byte) 0xff, 'd', '\r'});
        b.writeBytes("\r\nlast without newline".getBytes(StandardCharsets.US_ASCII));
        return b.toByteArray();
    }

    private static final List<String> EXPECTED = List.of("x".repeat(65536) + CUT, "after",
            "x" + "é".repeat(32767) + CUT, "crlf", "lone", "cr", "", "ba\uFFFDd", "", "last without newline");

    @Test
    void aStreamReadToItsEnd() throws Exception {
        List<String> lines = new ArrayList<>();
        PipeLines.read(new ByteArrayInputStream(everything()), lines::add);
        assertEquals(EXPECTED, lines);
    }

    @Test
    void chunksCutAnywhereGiveTheSameLines() {
        byte[] all = everything();
        Random random = new Random(42);
        for (int max : new int[] {1, 2, 3, 7, 100, 8192, 65536, 1 << 20}) {
            List<String> lines = new ArrayList<>();
            PipeLines p = new PipeLines(lines::add);
            int at = 0;
            while (at < all.length) {
                int n = Math.min(all.length - at, 1 + random.nextInt(max));
                // As the reader does: every chunk copied to the start of one reused buffer.
                byte[] chunk = Arrays.copyOfRange(all, at, at + n);
                p.accept(chunk, n);
                at += n;
            }
            p.finish();
            assertEquals(EXPECTED, lines, "chunks of up to " + max + " bytes");
        }
    }

    @Test
    void aCrAtTheEndOfOneChunkAndAnLfAtTheStartOfTheNextAreOneLineEnd() {
        List<String> lines = new ArrayList<>();
        PipeLines p = new PipeLines(lines::add);
        p.accept("a\r".getBytes(StandardCharsets.US_ASCII), 2);
        p.accept("\nb\r".getBytes(StandardCharsets.US_ASCII), 3);
        p.accept("c\n".getBytes(StandardCharsets.US_ASCII), 2);
        p.finish();
        assertEquals(List.of("a", "b", "c"), lines);
    }

    @Test
    void finishGivesNothingAfterALineEndOrACut() {
        List<String> lines = new ArrayList<>();
        PipeLines p = new PipeLines(lines::add);
        p.accept("done\n".getBytes(StandardCharsets.US_ASCII), 5);
        p.finish();
        byte[] long1 = "y".repeat(70_000).getBytes(StandardCharsets.US_ASCII);
        PipeLines q = new PipeLines(lines::add);
        q.accept(long1, long1.length);
        q.finish();
        assertEquals(List.of("done", "y".repeat(65536) + CUT), lines);
    }
}
