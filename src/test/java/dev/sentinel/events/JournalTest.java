package dev.sentinel.events;

import dev.sentinel.time.UtcOffset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.testing.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final EventJson UTC = new EventJson(UtcOffset.UTC);

    @TempDir
    Path dir;

    private static Event event(int i) {
        return new Event(1_796_153_800_000L + i, "app", 1, EventKind.STARTED, "started pid " + i,
                Event.fields("pid", (long) i, "limit_bytes", null, "command", List.of("a", "b c")));
    }

    @Test
    void everyEventIsOneJsonLineAppendedAtOnce() throws IOException {
        Path file = dir.resolve("journal.jsonl");
        Files.writeString(file, "{\"kept\":true}\n");
        try (Journal j = Journal.open(file, UTC, w -> { })) {
            j.emit(event(1));
            // Written as it happens: readable before the journal is closed.
            Await.until(Duration.ofSeconds(5), "the line is in the file",
                    () -> lines(file).size() == 2);
            j.emit(event(2));
        }
        List<String> lines = lines(file);
        assertEquals("{\"kept\":true}", lines.get(0), "opened for append, never truncated");
        JsonNode first = JSON.readTree(lines.get(1));
        assertEquals("2026-12-01T19:36:40.001+00:00", first.get("time").asText());
        assertEquals("app", first.get("name").asText());
        assertEquals(1, first.get("run").asInt());
        assertEquals("started", first.get("kind").asText());
        assertEquals("started pid 1", first.get("message").asText());
        assertEquals(1, first.get("pid").asLong());
        assertTrue(first.get("limit_bytes").isNull());
        assertEquals("b c", first.get("command").get(1).asText());
        assertEquals(3, lines.size());
    }

    @Test
    void rotatesPastTheSizeKeepingThree() throws IOException {
        Path file = dir.resolve("j.jsonl");
        int lineBytes = (UTC.line(event(100)) + "\n").length();
        try (Journal j = Journal.open(file, lineBytes * 10L, UTC, w -> { })) {
            for (int i = 100; i < 150; i++) {
                j.emit(event(i));
            }
        }
        assertEquals(10, lines(file).size());
        for (int n = 1; n <= Journal.KEEP; n++) {
            assertEquals(10, lines(dir.resolve("j.jsonl." + n)).size(), "j.jsonl." + n);
        }
        assertFalse(Files.exists(dir.resolve("j.jsonl.4")));
        assertTrue(lines(file).get(9).contains("\"pid\":149"), "the newest lines are in the file itself");
        assertTrue(lines(dir.resolve("j.jsonl.1")).get(0).contains("\"pid\":130"));
        assertTrue(lines(dir.resolve("j.jsonl.3")).get(0).contains("\"pid\":110"), "the oldest kept");
    }

    @Test
    void aFileThatCannotBeOpenedIsOneSentence() {
        IOException e = assertThrows(IOException.class,
                () -> Journal.open(dir.resolve("no/such/dir/j.jsonl"), UTC, w -> { }));
        assertTrue(e.getMessage().startsWith("its directory ") && e.getMessage().endsWith(" does not exist"),
                e.getMessage());
        IOException d = assertThrows(IOException.class, () -> Journal.open(dir, UTC, w -> { }));
        assertFalse(d.getMessage().isBlank());
    }

    /**
     * Until issue 21 the journal stopped for good at its first failure; now it holds the events and
     * writes them, in order, once the file can be written again, saying so once each way.
     */
    @Test
    void aWriteFailureLaterIsReportedOnceAndTheHeldEventsAreWrittenWhenTheFileComesBack() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Path file = sub.resolve("j.jsonl");
        List<String> warnings = new ArrayList<>();
        int lineBytes = (UTC.line(event(1)) + "\n").length();
        try (Journal j = Journal.open(file, lineBytes, UTC, w -> {
            synchronized (warnings) {
                warnings.add(w);
            }
        })) {
            j.emit(event(1));
            Await.until(Duration.ofSeconds(5), "the first line", () -> lines(file).size() == 1);
            // The next line rotates; with the directory gone, the rename fails.
            Files.delete(file);
            Files.delete(sub);
            j.emit(event(2));
            j.emit(event(3));
            Await.until(Duration.ofSeconds(5), "a warning", () -> {
                synchronized (warnings) {
                    return !warnings.isEmpty();
                }
            });
            synchronized (warnings) {
                assertEquals(1, warnings.size(), warnings.toString());
                assertTrue(warnings.get(0).startsWith("the journal " + file + " cannot be written ("), warnings.get(0));
            }
            Files.createDirectory(sub);
            Await.until(Duration.ofSeconds(10), "the recovery is told", () -> {
                synchronized (warnings) {
                    return warnings.size() == 2;
                }
            });
        }
        assertEquals(2, warnings.size(), warnings.toString());
        assertEquals("the journal " + file + " is written again; 2 held events were written late, none was lost",
                warnings.get(1));
        // Rotated at one line each: event 3 is in the file, event 2 in j.jsonl.1.
        assertTrue(lines(file).get(0).contains("\"pid\":3"), lines(file).toString());
        assertTrue(lines(sub.resolve("j.jsonl.1")).get(0).contains("\"pid\":2"));
    }

    @Test
    void eventJsonWritesEveryKindOfValue() throws IOException {
        Event e = new Event(0, "x\"y", 0, EventKind.LIMIT_CROSSED, "line\nbreak", Event.fields("top",
                List.of(Event.fields("pid", 7L, "rss_bytes", 1024L, "command", "java -jar a.jar")), "ratio", 0.25,
                "ok", true));
        JsonNode n = JSON.readTree(UTC.line(e));
        assertTrue(n.get("run").isNull(), "an event about no run");
        assertEquals("limit-crossed", n.get("kind").asText());
        assertEquals("x\"y", n.get("name").asText());
        assertEquals("line\nbreak", n.get("message").asText());
        assertEquals(7, n.get("top").get(0).get("pid").asInt());
        assertEquals(0.25, n.get("ratio").asDouble());
        assertTrue(n.get("ok").asBoolean());
        assertEquals(Map.of(), new Event(0, "a", EventKind.ORDER, "m").fields());
    }

    private static List<String> lines(Path f) {
        try {
            return Files.readAllLines(f);
        } catch (IOException e) {
            return List.of();
        }
    }
}
