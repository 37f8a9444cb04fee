package dev.sentinel.control;

import dev.sentinel.core.ByteSize;
import dev.sentinel.core.MemoryLimit;
import dev.sentinel.platform.Signal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns one protocol line into a {@link Command}. Pure: no I/O, no state. Words are separated by
 * blanks; command words are case-insensitive; anything that is not a command becomes
 * {@link Command.Invalid} with a sentence that names it and suggests {@code help}.
 */
public final class CommandParser {

    /** How much of an unknown command is quoted back; the rest is cut so replies stay one short line. */
    static final int MAX_ECHO = 40;

    private CommandParser() {
    }

    public static Command parse(String line) {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return new Command.Invalid("empty command; try 'help'");
        }
        String[] words = trimmed.split("\\s+");
        String verb = words[0].toLowerCase(Locale.ROOT);
        int args = words.length - 1;
        switch (verb) {
            case "status":
                return plainOrJson(words, Command.Status::new);
            case "json":
                return args == 0 ? new Command.Status(true) : noArguments(verb);
            case "watch":
                return plainOrJson(words, Command.Watch::new);
            case "start":
                return args == 0 ? new Command.Start() : noArguments(verb);
            case "events":
                return events(words);
            case "history":
                return plainOrJson(words, Command.History::new);
            case "stop":
                return args == 0 ? new Command.Stop() : noArguments(verb);
            case "kill":
                return args == 0 ? new Command.Kill() : noArguments(verb);
            case "restart":
                return args == 0 ? new Command.Restart() : noArguments(verb);
            case "help":
                return args == 0 ? new Command.Help() : noArguments(verb);
            case "version":
                return args == 0 ? new Command.Version() : noArguments(verb);
            case "ping":
                return args == 0 ? new Command.Ping() : noArguments(verb);
            case "limit":
                return limit(words);
            case "signal":
                return signal(words);
            default:
                return new Command.Invalid("unknown command " + quote(trimmed) + "; try 'help'");
        }
    }

    /** {@code VERB} or {@code VERB json}: the command {@code make} builds for json true or false. */
    private static Command plainOrJson(String[] words, java.util.function.Function<Boolean, Command> make) {
        if (words.length == 1) {
            return make.apply(false);
        }
        if (words.length == 2 && words[1].equalsIgnoreCase("json")) {
            return make.apply(true);
        }
        return new Command.Invalid("'" + words[0].toLowerCase(Locale.ROOT) + "' takes nothing or 'json', not "
                + quote(rest(words)) + "; try 'help'");
    }

    /** The most events one {@code events N} asks for; memory keeps fewer anyway. */
    static final int MAX_EVENTS = 10_000;

    private static Command events(String[] words) {
        if (words.length == 1) {
            return new Command.Events(Command.Events.DEFAULT);
        }
        if (words.length == 2 && words[1].matches("[0-9]{1,9}")) {
            int n = Integer.parseInt(words[1]);
            if (n >= 1 && n <= MAX_EVENTS) {
                return new Command.Events(n);
            }
        }
        return new Command.Invalid("'events' takes nothing or a count from 1 to " + MAX_EVENTS + ", e.g. 'events 50', not "
                + quote(rest(words)) + "; try 'help'");
    }

    private static Command limit(String[] words) {
        if (words.length != 2) {
            return new Command.Invalid("'limit' needs one size, e.g. 'limit 1G' or 'limit none'; try 'help'");
        }
        try {
            return new Command.Limit(MemoryLimit.parse(words[1]));
        } catch (IllegalArgumentException e) {
            return new Command.Invalid(quote(words[1]) + " is not a memory limit; use " + ByteSize.ACCEPTED + ", or none");
        }
    }

    private static Command signal(String[] words) {
        if (words.length != 2) {
            return new Command.Invalid("'signal' needs one signal name, e.g. 'signal HUP'; try 'help'");
        }
        Optional<Signal> s = Signal.parse(words[1]);
        if (s.isEmpty()) {
            return new Command.Invalid(quote(words[1]) + " is not a signal Sentinel knows; use a name like HUP, USR1, "
                    + "TERM or INT, or its number");
        }
        return new Command.SendSignal(s.get());
    }

    private static Command noArguments(String verb) {
        return new Command.Invalid("'" + verb + "' takes no arguments; try 'help'");
    }

    private static String rest(String[] words) {
        return String.join(" ", Arrays.copyOfRange(words, 1, words.length));
    }

    /** Quotes what the client sent, made safe for a terminal: control characters become '?', long text is cut. */
    static String quote(String text) {
        return "'" + sanitize(text) + "'";
    }

    private static String sanitize(String text) {
        StringBuilder b = new StringBuilder();
        int count = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (count == MAX_ECHO) {
                b.append("...");
                break;
            }
            b.appendCodePoint(Character.isISOControl(cp) || !Character.isDefined(cp) ? '?' : cp);
            count++;
        }
        return b.toString();
    }
}
