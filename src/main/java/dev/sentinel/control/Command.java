package dev.sentinel.control;

import dev.sentinel.core.MemoryLimit;
import dev.sentinel.platform.Signal;

/**
 * One request of the control protocol, as {@link CommandParser} understands it. Questions
 * ({@link Status}, {@link Watch}, {@link Events}, {@link History}, {@link Help}, {@link Version},
 * {@link Ping}) only read; orders ({@link Start}, {@link Stop}, {@link Kill}, {@link Restart},
 * {@link Limit}, {@link SendSignal}) change
 * what the guarded program does and are logged with the peer's uid and pid.
 */
public sealed interface Command {

    /** True for the commands that change something; they are logged and answered with OK. */
    default boolean isOrder() {
        return false;
    }

    /** The command as a user would type it, for logs ("limit 1 GiB", "signal SIGHUP"). */
    String text();

    /** {@code status} or {@code status json}: one line per program. */
    record Status(boolean json) implements Command {
        @Override
        public String text() {
            return json ? "status json" : "status";
        }
    }

    /** {@code watch} or {@code watch json}: a status line after every sample until the client hangs up. */
    record Watch(boolean json) implements Command {
        @Override
        public String text() {
            return json ? "watch json" : "watch";
        }
    }

    /** {@code stop}: tiered stop of the tree. */
    record Stop() implements Command {
        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return "stop";
        }
    }

    /** {@code kill}: SIGKILL to the whole tree. */
    record Kill() implements Command {
        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return "kill";
        }
    }

    /** {@code restart}: tiered stop, then the same command again. */
    record Restart() implements Command {
        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return "restart";
        }
    }

    /** {@code start}: start a program that is waiting to restart, has exited or was given up on; clears the count. */
    record Start() implements Command {
        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return "start";
        }
    }

    /** {@code events [N]}: the last N lifecycle events as JSON lines, from memory. */
    record Events(int count) implements Command {
        /** How many {@code events} answers without a number. */
        public static final int DEFAULT = 20;

        @Override
        public String text() {
            return "events " + count;
        }
    }

    /** {@code history} or {@code history json}: one line per run, the last 100 runs. */
    record History(boolean json) implements Command {
        @Override
        public String text() {
            return json ? "history json" : "history";
        }
    }

    /** {@code limit SIZE}: a new memory limit, or none. */
    record Limit(MemoryLimit limit) implements Command {
        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return "limit " + limit;
        }
    }

    /** {@code signal NAME}: a signal to the program's process group. */
    record SendSignal(Signal signal) implements Command {
        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return "signal " + signal.fullName();
        }
    }

    /** {@code help}. */
    record Help() implements Command {
        @Override
        public String text() {
            return "help";
        }
    }

    /** {@code version}. */
    record Version() implements Command {
        @Override
        public String text() {
            return "version";
        }
    }

    /** {@code ping}, answered with {@code pong}. */
    record Ping() implements Command {
        @Override
        public String text() {
            return "ping";
        }
    }

    /**
     * A line that is no command; the reply is {@code ERR } and {@code reason}.
     *
     * @param reason one sentence naming the problem and suggesting {@code help}
     */
    record Invalid(String reason) implements Command {
        @Override
        public String text() {
            return "invalid";
        }
    }
}
