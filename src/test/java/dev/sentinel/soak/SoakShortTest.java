package dev.sentinel.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentinel.testing.JavaPrograms;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak of issue 21, short: 75 s of a real Sentinel with 10 programs restarting, a leaker crossing
 * its limit about every 12 s, 10 socket clients a second, a scrape a second and a reload every 10 s;
 * then the same checks as bench/soak's 10 minutes ({@link SoakVerdict}): resources back within their
 * bounds, every crossing stopped in time, every event in the journal once, starts = restarts + 1.
 */
class SoakShortTest {

    @Test
    void aShortSoakLosesNothingAndLeaksNothing(@TempDir Path dir) throws Exception {
        SoakRun.Record record = new SoakRun(JavaPrograms.sentinel(), JavaPrograms.leaker(), dir, SoakPlan.brief(),
                line -> { }).run();
        SoakVerdict verdict = new SoakVerdict(record);
        // Surefire keeps it in target/surefire-reports/dev.sentinel.soak.SoakShortTest-output.txt: the run's figures.
        System.out.print(verdict.markdown("Short soak (SoakShortTest)", Map.of()));
        List<SoakVerdict.Check> failed = verdict.failures();
        assertEquals(List.of(), failed, () -> "the soak's report:\n" + verdict.markdown("Short soak", Map.of())
                + "\nfailed: " + failed.stream().map(SoakVerdict.Check::what).collect(Collectors.joining("; ")));
    }
}
