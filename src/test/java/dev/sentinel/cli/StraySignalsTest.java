package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.Signal;
import dev.sentinel.platform.SignalTrap;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Signals an operator or another daemon sends by mistake — a stray {@code kill -ALRM}, a UPS
 * daemon's SIGPWR, a CPU-time limit's SIGXCPU — whose default action would end Sentinel without a
 * word, and its lifeline every guarded program with it. A real Sentinel gets each twice: it says
 * so once per signal and guards on.
 */
class StraySignalsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void signalsThatMeanNothingToSentinelAreSaidOnceAndTheProgramGoesOn() {
        try (RunningProcess s = RunningProcess.start(JavaPrograms.sentinel("--no-tui", "--no-metrics", "--no-socket",
                "-m", "200M", "--", "sleep", "600"))) {
            s.awaitStderr("started pid (\\d+)", WAIT);
            long program = s.process().children().findFirst().orElseThrow().pid();
            for (Signal stray : SignalTrap.IGNORED) {
                s.signal(stray.name());
                s.awaitStderr("received " + stray.fullName() + ", which Sentinel does not act on: ignored", WAIT);
                s.signal(stray.name());
            }
            // A stop after them all: it is obeyed, so each stray one was handled before it.
            s.signal("TERM");
            assertEquals(143, s.awaitExit(WAIT), String.join("\n", s.stderr()));
            for (Signal stray : SignalTrap.IGNORED) {
                assertEquals(1, s.stderr().stream().filter(l -> l.contains("received " + stray.fullName() + ",")).count(),
                        "said once: " + stray);
            }
            assertTrue(s.stderr().stream().anyMatch(l -> l.contains("sent SIGTERM to the tree (sentinel was signalled)")),
                    "the program ran until the stop: " + String.join("\n", s.stderr()));
            assertTrue(ProcessHandle.of(program).isEmpty() || !ProcessHandle.of(program).get().isAlive(), "and then ended");
        }
    }
}
