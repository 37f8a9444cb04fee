package dev.sentinel.settings;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A program's health check: what is asked (an HTTP URL, a TCP address, a command), how often, how
 * long one check may take, how many failures in a row count, and what they mean.
 *
 * @param kind which check, or {@link Kind#NONE}
 * @param target what is checked, as the user wrote it: the URL, {@code host:port}, or the command
 * @param exec for {@link Kind#EXEC}, the command's words ({@code sh -c TEXT} for a command given as one string)
 * @param period between the start of one check and the next
 * @param timeout one check's limit; an exec check's process group is killed then
 * @param threshold failures in a row that make the check failing
 * @param startPeriod after a start, failures do not count for this long (unless the check passed
 *                    first), and the check runs every second (or every period, if shorter)
 * @param level what failing means
 * @param onFailure what an alive-level check's failure does
 */
public record CheckSettings(Kind kind, String target, List<String> exec, Duration period, Duration timeout,
                            int threshold, Duration startPeriod, CheckLevel level, CheckAction onFailure) {

    /** Which check a program has. */
    public enum Kind {
        NONE("-"), HTTP("http"), TCP("tcp"), EXEC("exec");

        private final String word;

        Kind(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** No check; the table's defaults for the rest. */
    public static final CheckSettings NONE = new CheckSettings(Kind.NONE, null, List.of(),
            ProgramOptions.CHECK_PERIOD.defaultValue(), ProgramOptions.CHECK_TIMEOUT.defaultValue(),
            ProgramOptions.CHECK_THRESHOLD.defaultValue(), ProgramOptions.CHECK_START_PERIOD.defaultValue(),
            ProgramOptions.CHECK_LEVEL.defaultValue(), ProgramOptions.CHECK_ON_FAILURE.defaultValue());

    public CheckSettings {
        Objects.requireNonNull(kind, "kind");
        exec = exec == null ? List.of() : List.copyOf(exec);
        if (kind != Kind.NONE && (target == null || target.isBlank())) {
            throw new IllegalArgumentException("a check needs what it checks");
        }
        if (kind == Kind.EXEC && exec.isEmpty()) {
            throw new IllegalArgumentException("an exec check needs its command");
        }
        if (period.isNegative() || period.isZero() || timeout.isNegative() || timeout.isZero() || threshold < 1
                || startPeriod.isNegative()) {
            throw new IllegalArgumentException("a check's period and timeout must be positive, its threshold at "
                    + "least 1");
        }
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(onFailure, "onFailure");
    }

    public boolean isSet() {
        return kind != Kind.NONE;
    }

    /** How it reads in events and the docs: {@code http http://127.0.0.1:8080/health}. */
    public String describe() {
        return kind.word() + " " + target;
    }
}
