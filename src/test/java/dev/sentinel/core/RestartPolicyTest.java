package dev.sentinel.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    private static final Optional<RestartReason> NONE = Optional.empty();

    @Test
    void neverRestartsAnything() {
        for (StopReason r : StopReason.values()) {
            assertEquals(NONE, RestartPolicy.NEVER.restartAfter(r, 1));
        }
        assertEquals(NONE, RestartPolicy.NEVER.restartAfter(null, 1));
    }

    @Test
    void onFailureRestartsAfterMemoryStopsNonZeroExitsAndCrashesButNotAfterExitZero() {
        RestartPolicy p = RestartPolicy.ON_FAILURE;
        assertEquals(Optional.of(RestartReason.MEMORY), p.restartAfter(StopReason.MEMORY, 0),
                "a memory stop is a failure even if the program exits 0 on SIGTERM");
        assertEquals(Optional.of(RestartReason.FAILURE), p.restartAfter(null, 3));
        assertEquals(Optional.of(RestartReason.FAILURE), p.restartAfter(null, 139), "SIGSEGV");
        assertEquals(Optional.of(RestartReason.FAILURE), p.restartAfter(StopReason.LEFTOVERS, 1));
        assertEquals(NONE, p.restartAfter(null, 0));
        assertEquals(NONE, p.restartAfter(StopReason.LEFTOVERS, 0));
    }

    @Test
    void alwaysRestartsAfterExitZeroToo() {
        assertEquals(Optional.of(RestartReason.EXIT), RestartPolicy.ALWAYS.restartAfter(null, 0));
        assertEquals(Optional.of(RestartReason.FAILURE), RestartPolicy.ALWAYS.restartAfter(null, 1));
        assertEquals(Optional.of(RestartReason.MEMORY), RestartPolicy.ALWAYS.restartAfter(StopReason.MEMORY, 143));
    }

    @Test
    void anOrderedStopIsNeverRestartedByPolicy() {
        for (RestartPolicy p : RestartPolicy.values()) {
            for (StopReason r : new StopReason[] {StopReason.STOP, StopReason.KILL, StopReason.SIGNAL,
                StopReason.RESTART}) {
                assertEquals(NONE, p.restartAfter(r, 143), p + " after " + r);
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
