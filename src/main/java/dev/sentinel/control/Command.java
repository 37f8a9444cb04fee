package dev.sentinel.control;

import dev.sentinel.core.Target;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.platform.Signal;

/**
 * One request of the control protocol, as {@link CommandParser} understands it. Questions
 * ({@link Status}, {@link Watch}, {@link Events}, {@link History}, {@link Health}, {@link Help},
 * {@link Version}, {@link Ping}) only read; orders ({@link Start}, {@link Stop}, {@link Kill}, {@link Restart},
 * {@link Limit}, {@link SendSignal}, {@link Reload}) change what the guarded programs do and are
 * logged with the peer's uid and pid.
 *
 * <p>Commands about programs carry the {@link Target} the line named; the constructors without one
 * are the unnamed forms every Sentinel has always understood ({@code status}, {@code limit 1G}).
 */
public sealed interface Command {

    /** True for the commands that change something; they are logged and answered with OK. */
    default boolean isOrder() {
        return false;
    }

    /** The programs the line named; unnamed for commands that are about no program. */
    default Target target() {
        return Target.UNNAMED;
    }

    /** The command as a user would type it, for logs ("limit web 1 GiB", "signal SIGHUP"). */
    String text();

    /** {@code status [NAME|all] [json]}: one line per program. */
    record Status(Target target, boolean json) implements Command {
        public Status(boolean json) {
            this(Target.UNNAMED, json);
        }

        @Override
        public String text() {
            return ("status " + target.words() + (json ? "json" : "")).strip();
        }
    }

    /** {@code watch [NAME|all] [json]}: a status line after every sample until the client hangs up. */
    record Watch(Target target, boolean json) implements Command {
        public Watch(boolean json) {
            this(Target.UNNAMED, json);
        }

        @Override
        public String text() {
            return ("watch " + target.words() + (json ? "json" : "")).strip();
        }
    }

    /** {@code stop [NAME|all]}: tiered stop; unnamed, every program stops and Sentinel exits. */
    record Stop(Target target) implements Command {
        public Stop() {
            this(Target.UNNAMED);
        }

        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return ("stop " + target.words()).strip();
        }
    }

    /** {@code kill [NAME|all]}: SIGKILL to the whole tree. */
    record Kill(Target target) implements Command {
        public Kill() {
            this(Target.UNNAMED);
        }

        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return ("kill " + target.words()).strip();
        }
    }

    /** {@code restart [NAME|all]}: tiered stop, then the same command again. */
    record Restart(Target target) implements Command {
        public Restart() {
            this(Target.UNNAMED);
        }

        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return ("restart " + target.words()).strip();
        }
    }

    /** {@code start [NAME|all]}: start a program that is waiting to restart, has exited or was given up on; clears the count. */
    record Start(Target target) implements Command {
        public Start() {
            this(Target.UNNAMED);
        }

        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return ("start " + target.words()).strip();
        }
    }

    /** {@code events [NAME|all] [N]}: the last N lifecycle events as JSON lines, from memory. */
    record Events(Target target, int count) implements Command {
        /** How many {@code events} answers without a number. */
        public static final int DEFAULT = 20;

        public Events(int count) {
            this(Target.UNNAMED, count);
        }

        @Override
        public String text() {
            return "events " + target.words() + count;
        }
    }

    /** {@code history [NAME|all] [json]}: one line per run, the last 100 runs of each program. */
    record History(Target target, boolean json) implements Command {
        public History(boolean json) {
            this(Target.UNNAMED, json);
        }

        @Override
        public String text() {
            return ("history " + target.words() + (json ? "json" : "")).strip();
        }
    }

    /**
     * {@code health [NAME|all] [verbose]}: {@code OK ready} or {@code ERR not ready: ...} (what
     * {@code /readyz} answers), then with a NAME or {@code verbose} a line per program.
     */
    record Health(Target target, boolean verbose) implements Command {
        public Health(boolean verbose) {
            this(Target.UNNAMED, verbose);
        }

        @Override
        public String text() {
            return ("health " + target.words() + (verbose ? "verbose" : "")).strip();
        }
    }

    /** {@code limit [NAME|all] SIZE}: a new memory limit, or none. */
    record Limit(Target target, MemoryLimit limit) implements Command {
        public Limit(MemoryLimit limit) {
            this(Target.UNNAMED, limit);
        }

        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return "limit " + target.words() + limit;
        }
    }

    /** {@code signal [NAME|all] SIG}: a signal to the program's process group. */
    record SendSignal(Target target, Signal signal) implements Command {
        public SendSignal(Signal signal) {
            this(Target.UNNAMED, signal);
        }

        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return "signal " + target.words() + signal.fullName();
        }
    }

    /** {@code reload}: re-read the config file and apply what changed. */
    record Reload() implements Command {
        @Override
        public boolean isOrder() {
            return true;
        }

        @Override
        public String text() {
            return "reload";
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
     * @param reason one sentence naming the problem and suggesting {@code help} (or listing the names)
     */
    record Invalid(String reason) implements Command {
        @Override
        public String text() {
            return "invalid";
        }
    }
}
