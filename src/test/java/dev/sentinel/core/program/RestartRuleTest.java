package dev.sentinel.core.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sentinel.settings.RestartPolicy;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartRuleTest {

    private static final Optional<RestartReason> NONE = Optional.empty();

    @Test
    void neverRestartsAnything() {
        for (StopReason r : StopReason.values()) {
            assertEquals(NONE, RestartRule.after(RestartPolicy.NEVER, r, 1));
        }
        assertEquals(NONE, RestartRule.after(RestartPolicy.NEVER, null, 1));
    }

    @Test
    void onFailureRestartsAfterMemoryStopsNonZeroExitsAndCrashesButNotAfterExitZero() {
        RestartPolicy p = RestartPolicy.ON_FAILURE;
        assertEquals(Optional.of(RestartReason.MEMORY), RestartRule.after(p, StopReason.MEMORY, 0),
                "a memory stop is a failure even if the program exits 0 on SIGTERM");
        assertEquals(Optional.of(RestartReason.FAILURE), RestartRule.after(p, null, 3));
        assertEquals(Optional.of(RestartReason.FAILURE), RestartRule.after(p, null, 139), "SIGSEGV");
        assertEquals(Optional.of(RestartReason.FAILURE), RestartRule.after(p, StopReason.LEFTOVERS, 1));
        assertEquals(NONE, RestartRule.after(p, null, 0));
        assertEquals(NONE, RestartRule.after(p, StopReason.LEFTOVERS, 0));
    }

    @Test
    void alwaysRestartsAfterExitZeroToo() {
        assertEquals(Optional.of(RestartReason.EXIT), RestartRule.after(RestartPolicy.ALWAYS, null, 0));
        assertEquals(Optional.of(RestartReason.FAILURE), RestartRule.after(RestartPolicy.ALWAYS, null, 1));
        assertEquals(Optional.of(RestartReason.MEMORY), RestartRule.after(RestartPolicy.ALWAYS, StopReason.MEMORY, 143));
    }

    @Test
    void anOrderedStopIsNeverRestartedByPolicy() {
        for (RestartPolicy p : RestartPolicy.values()) {
            for (StopReason r : new StopReason[] {StopReason.STOP, StopReason.KILL, StopReason.SIGNAL,
                StopReason.RESTART}) {
                assertEquals(NONE, RestartRule.after(p, r, 143), p + " after " + r);
            }
        }
    }

    @Test
    void parsesTheWordsUsersWrite() {
        assertEquals(RestartPolicy.ON_FAILURE, RestartPolicy.parse(" On-Failure "));
        assertEquals(RestartPolicy.ON_FAILURE, RestartPolicy.parse("on_failure"));
        assertEquals(RestartPolicy.ALWAYS, RestartPolicy.parse("always"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RestartPolicy.parse("sometimes"));
        assertEquals("'sometimes' is not a restart policy; use never, on-failure or always.", e.getMessage());
    }
}
