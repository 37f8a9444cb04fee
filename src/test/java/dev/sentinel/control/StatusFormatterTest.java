package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sentinel.text.Durations;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.text.Json;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.settings.RestartPolicy;
import dev.sentinel.core.program.RestartReason;
import dev.sentinel.settings.RestartSettings;
import dev.sentinel.core.program.RestartStatus;
import dev.sentinel.core.RunInfo;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.platform.ProcessSample;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusFormatterTest {

    private static final long MIB = 1 << 20;
    private static final RunInfo INFO = new RunInfo("1.2.3", 4321, "/tmp/sentinel.socket", null);
    private static final long NOW = 1_700_000_100_000L;

    @Test
    void humanLineHasEveryFieldWithoutBlanksInValues() {
        ProgramSnapshot p = program("leaker", new MemoryLimit(512 * MIB), 62_500, StopReason.MEMORY, 2);
        assertEquals("leaker pid=1234 state=RUNNING rss=120.5MiB peak=130MiB limit=512MiB used=23.5% procs=2 "
                + "uptime=1m02s restarts=1 last-stop=memory next-restart=- kernel-limit=- cgroup=no "
                + "ready=yes check=- measure=rss socket=/tmp/sentinel.socket",
                StatusFormatter.human(p, INFO, NOW));
    }

    @Test
    void humanLineWithoutLimitOrStopOrSocket() {
        ProgramSnapshot p = program("app", MemoryLimit.NONE, 900, null, 1);
        assertEquals("app pid=1234 state=RUNNING rss=120.5MiB peak=130MiB limit=none used=- procs=1 uptime=0s "
                + "restarts=1 last-stop=- next-restart=- kernel-limit=- cgroup=no ready=yes check=- measure=rss socket=-",
                StatusFormatter.human(p, new RunInfo("dev", 1, null, null), NOW));
    }

    @Test
    void jsonLineHasStableFieldsAndNulls() {
        ProgramSnapshot p = program("app", MemoryLimit.NONE, 62_500, null, 1);
        assertEquals("{\"name\":\"app\",\"pid\":1234,\"state\":\"RUNNING\",\"rss_bytes\":126353408,"
                + "\"peak_rss_bytes\":136314880,\"limit_bytes\":null,\"percent_of_limit\":null,"
                + "\"kernel_limit_bytes\":null,\"containment\":\"proc\",\"processes\":1,"
                + "\"uptime_seconds\":62.5,\"restarts\":1,\"last_stop\":null,\"exit_status\":null,\"cpu_seconds\":1.25,"
                + "\"growth_bytes_per_second\":1024,\"grace_seconds\":3,\"samples\":99,"
                + "\"run\":0,\"restart_policy\":\"never\",\"consecutive_failures\":0,\"max_restarts\":10,"
                + "\"last_exit_status\":null,\"next_restart_seconds\":null,\"tolerate_seconds\":0,"
                + "\"restarts_by_reason\":{\"memory\":0,\"failure\":0,\"exit\":0,\"order\":0,"
                + "\"check-failed\":0,\"watchdog\":0,\"ready-timeout\":0,\"required\":0},"
                + "\"command\":[\"app\",\"--flag\"],"
                + "\"ready\":true,\"check\":null,\"check_failures\":0,\"notify_status\":null,"
                + "\"sentinel_pid\":4321,\"socket\":\"/tmp/sentinel.socket\","
                + "\"version\":\"1.2.3\",\"measure\":\"rss\"}", StatusFormatter.json(p, INFO, NOW));
    }

    @Test
    void jsonWithLimitAndStop() {
        String json = StatusFormatter.json(program("leaker", new MemoryLimit(512 * MIB), 1000, StopReason.STOP, 1),
                INFO, NOW);
        assertContains(json, "\"limit_bytes\":536870912,\"percent_of_limit\":23.5,");
        assertContains(json, "\"last_stop\":\"stop\"");
    }

    @Test
    void aProgramWaitingToRestartSaysWhenFromTheClockNowNotFromTheSnapshot() {
        RestartSettings settings = new RestartSettings(RestartPolicy.ON_FAILURE, Duration.ofSeconds(1),
                Duration.ofSeconds(60), Duration.ofSeconds(60), 10);
        RestartStatus restart = new RestartStatus(3, 2, 137, NOW + 2_100, Map.of(RestartReason.MEMORY, 2L));
        MemoryLimit limit = new MemoryLimit(512 * MIB);
        ProgramSnapshot p = new ProgramSnapshot(ProgramSettings.builder("leaker", List.of("leaker")).limit(limit)
                .restart(settings).tolerate(Duration.ofSeconds(5)).build(), ProgramState.BACKOFF, limit,
                new ProgramSnapshot.Run(1234, 0, 130 * MIB, List.of(), 1.25, 1_700_000_000_000L, 4100, 137, 0),
                new ProgramSnapshot.Ledger(2, StopReason.MEMORY, List.of(), restart, List.of(), 99, 5000),
                ProgramSnapshot.Kernel.PROC);
        String human = StatusFormatter.human(p, INFO, NOW);
        assertContains(human, " state=BACKOFF ");
        assertContains(human, " restarts=2 last-stop=memory next-restart=2.1s ");
        assertContains(StatusFormatter.human(p, INFO, NOW + 1_000), " next-restart=1.1s ");
        assertContains(StatusFormatter.human(p, INFO, NOW + 5_000), " next-restart=0ms ");
        String json = StatusFormatter.json(p, INFO, NOW);
        assertContains(json, "\"state\":\"BACKOFF\"");
        assertContains(json, "\"run\":3,\"restart_policy\":\"on-failure\",\"consecutive_failures\":2,\"max_restarts\":10,"
                + "\"last_exit_status\":137,\"next_restart_seconds\":2.1,\"tolerate_seconds\":5,"
                + "\"restarts_by_reason\":{\"memory\":2,\"failure\":0,\"exit\":0,\"order\":0,"
                + "\"check-failed\":0,\"watchdog\":0,\"ready-timeout\":0,\"required\":0}");
    }

    @Test
    void aProgramNotReadyWithAFailingCheckSaysSoBeforeTheSocket() {
        ProgramSnapshot p = withHealth(program("web", MemoryLimit.NONE, 62_500, null, 1),
                new ProgramSnapshot.Health(false, true, ProgramSnapshot.Health.FAILING, 7, 3, "HTTP 500 in 4 ms",
                        null, 0, "check failing: HTTP 500"));
        assertEquals("web pid=1234 state=RUNNING rss=120.5MiB peak=130MiB limit=none used=- procs=1 uptime=1m02s "
                + "restarts=1 last-stop=- next-restart=- kernel-limit=- cgroup=no ready=no check=failing measure=rss "
                + "socket=/tmp/sentinel.socket", StatusFormatter.human(p, INFO, NOW));
        String json = StatusFormatter.json(p, INFO, NOW);
        assertContains(json, ",\"ready\":false,\"check\":\"failing\",\"check_failures\":7,\"notify_status\":null,"
                + "\"sentinel_pid\":4321,");
    }

    @Test
    void aNotifyStatusIsShownPercentEncodedSoNoValueHasABlankAndTheJsonHasItWhole() {
        ProgramSnapshot p = withHealth(program("db", MemoryLimit.NONE, 62_500, null, 1),
                new ProgramSnapshot.Health(true, true, ProgramSnapshot.Health.PASSING, 0, 0, "exit 0",
                        "Loading 40% of\ttables\nalmost \"done\" \u00e9", 1_700_000_050_000L, null));
        String human = StatusFormatter.human(p, INFO, NOW);
        assertContains(human, " cgroup=no ready=yes check=passing measure=rss "
                + "notify-status=Loading%2040%25%20of%09tables%0Aalmost%20\"done\"%20\u00e9 socket=/tmp/sentinel.socket");
        assertEquals(human.split(" ").length, human.split("=").length, "one blank per key: " + human);
        assertContains(StatusFormatter.json(p, INFO, NOW), "\"ready\":true,\"check\":\"passing\",\"check_failures\":0,"
                + "\"notify_status\":\"Loading 40% of\\ttables\\nalmost \\\"done\\\" \u00e9\",");
    }

    @Test
    void anEmptyNotifyStatusIsLeftOutAndALongOneIsCut() {
        ProgramSnapshot empty = withHealth(program("db", MemoryLimit.NONE, 1000, null, 1),
                new ProgramSnapshot.Health(true, true, null, 0, 0, null, "", 0, null));
        assertFalse(StatusFormatter.human(empty, INFO, NOW).contains("notify-status"));
        assertContains(StatusFormatter.json(empty, INFO, NOW), "\"notify_status\":\"\"");
        ProgramSnapshot chatty = withHealth(program("db", MemoryLimit.NONE, 1000, null, 1),
                new ProgramSnapshot.Health(true, true, null, 0, 0, null, "x".repeat(500), 0, null));
        assertContains(StatusFormatter.human(chatty, INFO, NOW), " notify-status=" + "x".repeat(200) + " socket=");
    }

    @Test
    void aCheckWordTheFormatDoesNotKnowIsShownAsNoVerdict() {
        ProgramSnapshot p = withHealth(program("db", MemoryLimit.NONE, 1000, null, 1),
                new ProgramSnapshot.Health(true, true, "half broken", 0, 0, null, null, 0, null));
        assertContains(StatusFormatter.human(p, INFO, NOW), " check=- ");
        assertContains(StatusFormatter.json(p, INFO, NOW), "\"check\":null,");
    }

    @Test
    void jsonEscapesNamesAndCommands() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001e\u00e9\ud83d\ude00\\u2028\"",
                Json.string("a\"b\\c\nd\u0001e\u00e9\ud83d\ude00\u2028"));
        assertEquals("\"lone \\ud800 surrogate\"", Json.string("lone \ud800 surrogate"));
        assertEquals("null", Json.number(Double.NaN, 1));
        assertEquals("23.5", Json.number(23.46, 1));
        assertEquals("0", Json.number(0.0, 3));
    }

    @Test
    void uptimeFormats() {
        assertEquals("0s", Durations.formatWholeSeconds(999));
        assertEquals("59s", Durations.formatWholeSeconds(59_999));
        assertEquals("1m00s", Durations.formatWholeSeconds(60_000));
        assertEquals("59m59s", Durations.formatWholeSeconds(3_599_000));
        assertEquals("2h03m", Durations.formatWholeSeconds((2 * 3600 + 3 * 60 + 5) * 1000L));
    }

    private static ProgramSnapshot program(String name, MemoryLimit limit, long uptimeMillis, StopReason lastStop,
                                           int processes) {
        List<ProcessSample> ps = java.util.stream.IntStream.range(0, processes)
                .mapToObj(i -> new ProcessSample(1234 + i, 1, 1234, i == 0 ? 0 : 1, name, name, 'S', MIB, 0, 1, 0))
                .toList();
        return new ProgramSnapshot(ProgramSettings.builder(name, List.of(name, "--flag")).limit(limit).build(),
                ProgramState.RUNNING, limit,
                new ProgramSnapshot.Run(1234, (long) (120.5 * MIB), 130 * MIB, ps, 1.25, 1_700_000_000_000L,
                        uptimeMillis, -1, 1024.0),
                new ProgramSnapshot.Ledger(1, lastStop, List.of(), RestartStatus.NONE, List.of(), 99, 5000),
                ProgramSnapshot.Kernel.PROC);
    }

    private static ProgramSnapshot withHealth(ProgramSnapshot p, ProgramSnapshot.Health health) {
        return new ProgramSnapshot(p.settings(), p.state(), p.limit(), p.run(), p.ledger(), p.kernel(), health);
    }

    private static void assertContains(String text, String part) {
        org.junit.jupiter.api.Assertions.assertTrue(text.contains(part), () -> text + " lacks " + part);
    }
}
