package dev.sentinel.platform;

import java.util.Locale;
import java.util.Optional;

/** The POSIX signals Sentinel sends or forwards, with their Linux numbers. */
public enum Signal {
    HUP(1), INT(2), QUIT(3), ABRT(6), KILL(9), USR1(10), SEGV(11), USR2(12), PIPE(13), ALRM(14),
    TERM(15), STKFLT(16), CONT(18), STOP(19), TSTP(20), TTIN(21), TTOU(22), XCPU(24), VTALRM(26), PROF(27),
    WINCH(28), IO(29), PWR(30);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The conventional name, e.g. {@code SIGTERM}. */
    public String fullName() {
        return "SIG" + name();
    }

    /** Parses {@code TERM}, {@code SIGTERM}, {@code sigterm} or {@code 15}. */
    public static Optional<Signal> parse(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        if (t.startsWith("SIG")) {
            t = t.substring(3);
        }
        for (Signal s : values()) {
            if (s.name().equals(t) || Integer.toString(s.number).equals(t)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * The name of the signal an exit status of 128+N stands for ({@code SIGTERM} for 143,
     * {@code signal 40} for one without a name), or null for an ordinary status.
     */
    public static String nameForExitStatus(int status) {
        if (status > 128 && status <= 128 + 64) {
            return ofNumber(status - 128).map(Signal::fullName).orElse("signal " + (status - 128));
        }
        return null;
    }

    /** An exit status as the lifecycle lines write it: {@code 3}, or {@code 143 (SIGTERM)} for 128+N. */
    public static String describeExitStatus(int status) {
        String signal = nameForExitStatus(status);
        return signal == null ? Integer.toString(status) : status + " (" + signal + ")";
    }

    /** The signal with this number, if Sentinel knows it by name. */
    public static Optional<Signal> ofNumber(int number) {
        for (Signal s : values()) {
            if (s.number == number) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
