package dev.sentinel.settings;

import dev.sentinel.text.Durations;
import java.time.Duration;

/**
 * A duration ({@code 3s}, {@code 500ms}, {@code 2m}, {@code 1.5s}, a bare number of seconds): a
 * word, or in a file a string or a number. Some have a floor, with a sentence of their own.
 */
public final class DurationType implements ValueType<Duration> {

    public static final DurationType ANY = new DurationType(Duration.ZERO, null);
    /** The sampling interval: below a millisecond the loop would do nothing but sample. */
    public static final DurationType INTERVAL = new DurationType(Duration.ofMillis(1),
            "'{}' is too short; the interval must be at least 1ms.");
    /** A hook's timeout: 0 would kill every hook before it ran. */
    public static final DurationType HOOK_TIMEOUT = new DurationType(Duration.ofNanos(1),
            "0 is too short; a hook's timeout must be above 0.");

    /** A check's period or timeout: 0 would check without pause, or fail every check. */
    public static final DurationType POSITIVE = new DurationType(Duration.ofMillis(1),
            "'{}' is too short; use at least 1ms.");

    private final Duration floor;
    private final String tooShort;

    /** @param tooShort the sentence for a value under the floor; {} is the value, formatted */
    private DurationType(Duration floor, String tooShort) {
        this.floor = floor;
        this.tooShort = tooShort;
    }

    @Override
    public Class<?> javaType() {
        return Duration.class;
    }

    @Override
    public Duration parse(String word) {
        return Durations.parse(word);
    }

    @Override
    public Duration read(Written written) {
        String text = written.stringOrNumber("a duration", Durations.ACCEPTED, true);
        if (text == null) {
            return null;
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            return written.problem(e.getMessage());
        }
    }

    @Override
    public String check(Duration value) {
        return value.compareTo(floor) < 0 ? tooShort.replace("{}", Durations.format(value)) : null;
    }

    @Override
    public String show(Duration value) {
        return Durations.format(value);
    }
}
