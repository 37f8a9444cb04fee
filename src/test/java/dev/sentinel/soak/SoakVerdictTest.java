package dev.sentinel.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak's judge on a made-up run: a clean one passes every check, and each fault fails its own check. */
class SoakVerdictTest {

    private static final long T0 = Instant.parse("2026-12-07T23:00:00Z").toEpochMilli();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx")
            .withZone(ZoneOffset.ofHours(1));
    private static final SoakPlan PLAN = new SoakPlan(Duration.ofSeconds(10), 1, 1, Duration.ofSeconds(5),
            Duration.ofSeconds(1), Duration.ofSeconds(3), 100, 100);
    private static final String METRICS = """
            sentinel_process_restarts_total{name="churn-01",reason="exit"} 1
            sentinel_process_restarts_total{name="leaker",reason="memory"} 0
            sentinel_process_kills_total{name="leaker",reason="memory",signal="SIGTERM"} 1
            sentinel_process_kills_total{name="reloaded",reason="reload",signal="SIGTERM"} 1
            """;

    @TempDir
    Path dir;

    private static String event(long at, String name, int run, String kind, String fields) {
        return "{\"time\":\"" + TIME.format(Instant.ofEpochMilli(T0 + at)) + "\",\"name\":\"" + name + "\",\"run\":" + run
                + ",\"kind\":\"" + kind + "\",\"message\":\"a \\\"quoted\\\" pid\\\":1 sentence\"" + fields + "}";
    }

    private static List<String> cleanJournal() {
        List<String> j = new ArrayList<>();
        j.add(event(0, "churn-01", 1, "started", ",\"pid\":100"));
        j.add(event(10, "leaker", 1, "started", ",\"pid\":200"));
        j.add(event(20, "reloaded", 1, "started", ",\"pid\":300"));
        j.add(event(1000, "churn-01", 1, "exited", ",\"pid\":100,\"reason\":null"));
        j.add(event(2000, "churn-01", 2, "started", ",\"pid\":101"));
        j.add(event(3000, "leaker", 1, "limit-crossed", ",\"pid\":200,\"rss_bytes\":105381888,\"limit_bytes\":104857600"));
        j.add(event(3001, "leaker", 1, "signal-sent", ",\"pid\":200,\"signal\":\"SIGTERM\",\"reason\":\"memory\""));
        j.add(event(3100, "leaker", 1, "exited", ",\"pid\":200,\"reason\":\"memory\""));
        j.add(event(5000, "reloaded", 1, "exited", ",\"pid\":300,\"reason\":\"reload\""));
        j.add(event(5010, "reloaded", 1, "started", ",\"pid\":301"));
        j.add(event(9000, "churn-01", 2, "exited", ",\"pid\":101,\"reason\":\"stop\""));
        j.add(event(9001, "reloaded", 1, "exited", ",\"pid\":301,\"reason\":\"stop\""));
        return j;
    }

    private static List<SoakRun.Sample> flatSamples(long rssGrowthKb, int fdGrowth) {
        List<SoakRun.Sample> s = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            s.add(new SoakRun.Sample(i * 1000L, 60_000 + (i >= 7 ? rssGrowthKb : 0), 70, 200 + (i >= 7 ? fdGrowth : 0), i * 5L));
        }
        return s;
    }

    private List<String> failed(List<String> journal, List<SoakRun.Sample> samples, long stampMillis) throws IOException {
        Path file = dir.resolve("j");
        Files.write(file, journal);
        Path term = dir.resolve("term");
        Files.writeString(term, "leaker pid=200 SIGTERM at " + (T0 + stampMillis) * 1000 + "\n");
        SoakRun.Record r = new SoakRun.Record(PLAN, samples, 10, 0, 10, 0, 1, 1, List.of(), METRICS,
                String.join("\n", journal.subList(journal.size() - 3, journal.size())), file, term, true, 0, 10_000);
        return new SoakVerdict(r).failures().stream().map(SoakVerdict.Check::what).collect(Collectors.toList());
    }

    @Test
    void aCleanRunPassesEveryCheck() throws IOException {
        assertEquals(List.of(), failed(cleanJournal(), flatSamples(0, 0), 3002));
    }

    @Test
    void aLineTwiceIsADuplicate() throws IOException {
        List<String> j = cleanJournal();
        j.add(4, j.get(3));
        assertEquals(List.of("every event is in the journal once",
                "every run's start has its exit in the journal, and every exit its start"), failed(j, flatSamples(0, 0), 3002));
    }

    @Test
    void aLostExitAndALostStartAreFound() throws IOException {
        List<String> j = cleanJournal();
        j.remove(3);
        assertEquals(List.of("every run's start has its exit in the journal, and every exit its start"),
                failed(j, flatSamples(0, 0), 3002));
        List<String> k = cleanJournal();
        k.remove(4);
        assertEquals(List.of("every run's start has its exit in the journal, and every exit its start",
                "each program's starts in the journal = 1 + its restarts in /metrics (+ 1 a reload for 'reloaded')"),
                failed(k, flatSamples(0, 0), 3002));
    }

    @Test
    void aLateStopFailsTheCrossingCheck() throws IOException {
        assertEquals(List.of("every crossing was stopped: SIGTERM within 1000 ms, under 8 MiB over"),
                failed(cleanJournal(), flatSamples(0, 0), 4500));
    }

    @Test
    void growthOfRssOrDescriptorsPastTheBoundFails() throws IOException {
        assertEquals(List.of("RSS at the end within +20 % or +16 MiB of the first window's"),
                failed(cleanJournal(), flatSamples(17 * 1024, 0), 3002));
        assertEquals(List.of("descriptors at the end within +10 of the first window's"),
                failed(cleanJournal(), flatSamples(0, 11), 3002));
        assertEquals(List.of(), failed(cleanJournal(), flatSamples(15 * 1024, 10), 3002));
    }
}
