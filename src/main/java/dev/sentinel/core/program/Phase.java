package dev.sentinel.core.program;

/**
 * Where a {@link Program} is, with the data that only that state has: a state's facts live in its
 * record, never in flags beside it. Immutable; a transition makes a new one.
 */
sealed interface Phase {

    ProgramState state();

    /** Launched, not yet seen by a sample (or never started: the state before {@code start}). */
    record Starting() implements Phase {
        @Override
        public ProgramState state() {
            return ProgramState.STARTING;
        }
    }

    /** Not started: it waits for {@code forWhat} (the programs it starts after) to be ready. */
    record Held(String forWhat) implements Phase {
        @Override
        public ProgramState state() {
            return ProgramState.WAITING;
        }
    }

    /** Sampled and guarded. */
    record Running() implements Phase {
        @Override
        public ProgramState state() {
            return ProgramState.RUNNING;
        }
    }

    /** The first signal went to the tree; SIGKILL follows at {@code killAtNanos} if it is still there. */
    record Stopping(Stop stop, long killAtNanos) implements Phase {
        @Override
        public ProgramState state() {
            return ProgramState.STOPPING;
        }
    }

    /** SIGKILL went to the tree; it is sent again at {@code repeatAtNanos} to catch late forks. */
    record Killing(Stop stop, long repeatAtNanos) implements Phase {
        @Override
        public ProgramState state() {
            return ProgramState.KILLING;
        }
    }

    /** The tree is gone and the policy starts it again at {@code untilNanos}, for {@code reason}. */
    record Waiting(RestartReason reason, long untilNanos, long untilEpochMillis) implements Phase {
        @Override
        public ProgramState state() {
            return ProgramState.BACKOFF;
        }
    }

    /**
     * Nothing restarts it: Sentinel reports {@code status} for it; {@code byOrder} when someone
     * asked for the end (an order, a signal to Sentinel, a cancelled restart, a reload).
     */
    record Exited(int status, boolean byOrder) implements Phase {
        @Override
        public ProgramState state() {
            return ProgramState.EXITED;
        }
    }

    /** Sentinel gave up on it; {@code status} is its last run's. */
    record Fatal(int status) implements Phase {
        @Override
        public ProgramState state() {
            return ProgramState.FATAL;
        }
    }

    /**
     * Why the tree is being stopped, and what the stop has learned on the way.
     *
     * @param reason why Sentinel stops it (for a stop that became a kill, still the first reason)
     * @param thenRestart a {@code restart} was ordered: start it again as soon as the tree is gone
     * @param ordered someone ordered a stop while it was stopping for another reason (memory,
     *                leftovers, the kernel): the policy must not restart it afterwards
     * @param keepDown the stop is for good, though nobody ordered it ({@code on_failure = "stop"}):
     *                 the policy is not asked, and the end is not an order's
     */
    record Stop(StopReason reason, boolean thenRestart, boolean ordered, boolean keepDown) {

        static Stop of(StopReason reason) {
            return new Stop(reason, false, false, false);
        }

        static Stop forGood(StopReason reason) {
            return new Stop(reason, false, false, true);
        }

        Stop restarting(boolean restart) {
            return new Stop(reason, restart, ordered, keepDown);
        }

        Stop orderedToo() {
            return new Stop(reason, thenRestart, true, keepDown);
        }

        /** Whether the run ends because someone asked, not on its own. */
        boolean byOrder() {
            return ordered || reason.isOrder();
        }
    }
}
