package dev.sentinel.control;

import dev.sentinel.core.Target;
import dev.sentinel.text.ByteSize;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.platform.Signal;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Turns one protocol line into a {@link Command}. Pure: a function of the line and the
 * {@link ProgramNames} it is read against. Words are separated by blanks; command words and
 * keywords ({@code json}, {@code all}) are case-insensitive, program names are not; anything that is
 * not a command becomes {@link Command.Invalid} with one sentence that names the problem and either
 * suggests {@code help} or lists the programs.
 *
 * <h2>Grammar</h2>
 * <pre>
 * status  [TARGET] [json]      TARGET = NAME | all        no TARGET: every program
 * json    [TARGET]             the same as status [TARGET] json
 * watch   [TARGET] [json]
 * history [TARGET] [json]
 * health  [TARGET] [verbose]
 * events  [TARGET] [N]         N = 1..10000 (default 20)   no TARGET: every event, Sentinel's own too
 * start | stop | kill | restart [TARGET]
 * limit   [TARGET] SIZE
 * signal  [TARGET] SIG
 * reload | help | version | ping
 * </pre>
 *
 * <p>Which word is which is decided by position and count, never by which programs exist, so a
 * line means the same on every Sentinel (a script cannot change meaning when a program is added):
 * <ul>
 *   <li>{@code limit} and {@code signal}: one word is the size or signal (the old form), two are
 *       TARGET and then the size or signal. {@code limit 1G} is a size even beside a program called
 *       {@code 1G}; that program's limit is {@code limit 1G 1G}.</li>
 *   <li>{@code events}: a last word of digits is N. {@code events 20} is twenty events;
 *       {@code events web} is web's last 20; a program called {@code 7} is asked as
 *       {@code events 7 20}. TARGET may also be Sentinel's own name ({@code sentinel} in config
 *       mode) for the events about Sentinel itself.</li>
 *   <li>{@code status}, {@code watch}, {@code history}: a last word {@code json} is the format.
 *       {@code status json} is every program as JSON, also beside a program called {@code json},
 *       which is asked as {@code status json json} (or {@code json json}). {@code health} reads a
 *       last word {@code verbose} the same way.</li>
 *   <li>{@code all} always means every program; a program called {@code all} can only be seen in
 *       the answers about every program.</li>
 * </ul>
 *
 * <p>Names must be programs this Sentinel guards: another name is refused here, with the list of
 * names. An order without a TARGET means the one program of a single-command Sentinel; in config
 * mode it is refused with the list of names, except {@code stop}, which stops every program and ends
 * Sentinel (what {@code stop} has always meant). A single-command Sentinel also accepts its
 * program's name and {@code all}, so every command keeps working there with or without a name.
 *
 * <p>{@link #parse(String)} knows no names: it reads the unnamed forms only, with the sentences a
 * Sentinel gave before programs had names.
 */
public final class CommandParser {

    /** How much of an unknown command is quoted back; the rest is cut so replies stay one short line. */
    static final int MAX_ECHO = 40;

    /** The most events one {@code events N} asks for; memory keeps fewer anyway. */
    static final int MAX_EVENTS = 10_000;

    private static final String JSON = "json";
    private static final String VERBOSE = "verbose";

    private final ProgramNames names;
    private final String line;
    private final String[] words;
    private final String verb;

    private CommandParser(String line, ProgramNames names) {
        this.names = names;
        this.line = line.strip();
        this.words = this.line.split("\\s+");
        this.verb = words[0].toLowerCase(Locale.ROOT);
    }

    /** Reads {@code line} knowing no program names (the unnamed forms only). */
    public static Command parse(String line) {
        return parse(line, ProgramNames.NONE);
    }

    static Command parse(String line, ProgramNames names) {
        if (line.isBlank()) {
            return new Command.Invalid("empty command; try 'help'");
        }
        return new CommandParser(line, names).command();
    }

    private Command command() {
        int args = words.length - 1;
        switch (verb) {
            case "status":
                return targetAndJson(Command.Status::new);
            case "json":
                return json();
            case "watch":
                return targetAndJson(Command.Watch::new);
            case "history":
                return targetAndJson(Command.History::new);
            case "health":
                return targetAndKeyword(VERBOSE, Command.Health::new);
            case "events":
                return events();
            case "start":
                return order(Command.Start::new, false);
            case "stop":
                return order(Command.Stop::new, true);
            case "kill":
                return order(Command.Kill::new, false);
            case "restart":
                return order(Command.Restart::new, false);
            case "limit":
                return limit();
            case "signal":
                return signal();
            case "reload":
                return args == 0 ? new Command.Reload() : noArguments();
            case "help":
                return args == 0 ? new Command.Help() : noArguments();
            case "version":
                return args == 0 ? new Command.Version() : noArguments();
            case "ping":
                return args == 0 ? new Command.Ping() : noArguments();
            default:
                return new Command.Invalid("unknown command " + quote(line) + "; try 'help'");
        }
    }

    // ---- questions

    /** {@code VERB [TARGET] [json]}. */
    private Command targetAndJson(BiFunction<Target, Boolean, Command> make) {
        return targetAndKeyword(JSON, make);
    }

    /** {@code VERB [TARGET] [KEYWORD]}: a last word {@code keyword} is the keyword, whatever programs exist. */
    private Command targetAndKeyword(String keyword, BiFunction<Target, Boolean, Command> make) {
        int args = words.length - 1;
        boolean flag = args >= 1 && words[args].equalsIgnoreCase(keyword);
        int targetWords = flag ? args - 1 : args;
        if (targetWords == 0) {
            return make.apply(Target.UNNAMED, flag);
        }
        if (!names.known() || targetWords > 1) {
            String usage = names.known() ? "[NAME|all] [" + keyword + "], e.g. '" + verb + " " + example() + " "
                    + keyword + "'" : "nothing or '" + keyword + "'";
            return new Command.Invalid("'" + verb + "' takes " + usage + ", not " + quote(rest()) + "; try 'help'");
        }
        Target t = target(words[1]);
        if (t != null) {
            return make.apply(t, flag);
        }
        if (!flag && args == 1) {
            // Maybe a misspelt keyword, maybe a misspelt name: the sentence names both.
            return new Command.Invalid("'" + verb + "' takes nothing or '" + keyword + "', or a program's name, not "
                    + quote(words[1]) + "; " + names.listing());
        }
        return new Command.Invalid(names.unknown(words[1]));
    }

    /** {@code json [TARGET]}: the JSON status; the one word is always a target here, even "json". */
    private Command json() {
        if (words.length == 1) {
            return new Command.Status(Target.UNNAMED, true);
        }
        if (!names.known() || words.length > 2) {
            return names.known() ? usage("[NAME|all], e.g. 'json web'") : noArguments();
        }
        Target t = target(words[1]);
        return t != null ? new Command.Status(t, true) : new Command.Invalid(names.unknown(words[1]));
    }

    /** {@code events [TARGET] [N]}: a last word of digits is N. */
    private Command events() {
        int args = words.length - 1;
        if (args == 0) {
            return new Command.Events(Target.UNNAMED, Command.Events.DEFAULT);
        }
        if (args == 1 && isCount(words[1])) {
            return count(words[1], Target.UNNAMED);
        }
        if (!names.known()) {
            return badCount();
        }
        if (args > 2) {
            return usage("[NAME|all] [N], e.g. 'events " + example() + " 50'");
        }
        Target t = eventSource(words[1]);
        if (t == null && args == 1) {
            return new Command.Invalid("'events' takes nothing or a count from 1 to " + MAX_EVENTS
                    + ", e.g. 'events 50', or a program's name, not " + quote(words[1]) + "; " + names.listing());
        }
        if (t == null) {
            return isCount(words[1]) ? usage("the name first, then the count, e.g. 'events " + example() + " 50'")
                    : new Command.Invalid(names.unknown(words[1]));
        }
        if (args == 1) {
            return new Command.Events(t, Command.Events.DEFAULT);
        }
        return isCount(words[2]) ? count(words[2], t) : badCount();
    }

    private Command count(String word, Target t) {
        if (word.length() <= 9) {
            int n = Integer.parseInt(word);
            if (n >= 1 && n <= MAX_EVENTS) {
                return new Command.Events(t, n);
            }
        }
        return badCount();
    }

    private Command badCount() {
        return new Command.Invalid("'events' takes nothing or a count from 1 to " + MAX_EVENTS + ", e.g. 'events 50', not "
                + quote(rest()) + "; try 'help'");
    }

    private static boolean isCount(String word) {
        return word.matches("[0-9]+");
    }

    /** A program, {@code all}, or Sentinel's own name (its events carry it). */
    private Target eventSource(String word) {
        Target t = target(word);
        if (t == null && names.isEventSource(word)) {
            return new Target.Named(word);
        }
        return t;
    }

    // ---- orders

    /** {@code VERB [TARGET]}; {@code unnamedAllowed}: the verb has a meaning without a name in config mode. */
    private Command order(Function<Target, Command> make, boolean unnamedAllowed) {
        int args = words.length - 1;
        if (args == 0) {
            if (!unnamedAllowed && !names.singleCommand()) {
                return new Command.Invalid(names.needsName(verb, verb + " " + example()));
            }
            return make.apply(Target.UNNAMED);
        }
        if (!names.known()) {
            return noArguments();
        }
        if (args > 1) {
            return usage("one program's name or 'all', e.g. '" + verb + " " + example() + "'");
        }
        Target t = target(words[1]);
        return t != null ? make.apply(t) : new Command.Invalid(names.unknown(words[1]));
    }

    /** {@code limit [TARGET] SIZE}: one word is the size, two are the target and the size. */
    private Command limit() {
        return targetAndValue("size", "1G", (t, word) -> {
            try {
                return new Command.Limit(t, MemoryLimit.parse(word));
            } catch (IllegalArgumentException e) {
                return new Command.Invalid(quote(word) + " is not a memory limit; use " + ByteSize.ACCEPTED
                        + ", a percentage like 80%, or none");
            }
        }, "'limit' needs one size, e.g. 'limit 1G' or 'limit none'; try 'help'");
    }

    /** {@code signal [TARGET] SIG}: one word is the signal, two are the target and the signal. */
    private Command signal() {
        return targetAndValue("signal", "HUP", (t, word) -> {
            Optional<Signal> s = Signal.parse(word);
            if (s.isEmpty()) {
                return new Command.Invalid(quote(word) + " is not a signal Sentinel knows; use a name like HUP, USR1, "
                        + "TERM or INT, or its number");
            }
            return new Command.SendSignal(t, s.get());
        }, "'signal' needs one signal name, e.g. 'signal HUP'; try 'help'");
    }

    /**
     * {@code VERB [TARGET] VALUE}. A lone word that is a program's name, not a value, gets a sentence
     * saying the value is missing rather than that the name is a bad value.
     */
    private Command targetAndValue(String what, String sample, BiFunction<Target, String, Command> make,
                                   String legacyUsage) {
        int args = words.length - 1;
        String example = verb + " " + example() + " " + sample;
        if (args == 0) {
            return names.singleCommand() ? new Command.Invalid(legacyUsage)
                    : new Command.Invalid(names.needsName(verb, example));
        }
        if (args == 1) {
            Command c = make.apply(Target.UNNAMED, words[1]);
            if (c instanceof Command.Invalid && names.known() && target(words[1]) != null) {
                return new Command.Invalid("'" + verb + "' needs a " + what + " after the name, e.g. '" + verb + " "
                        + words[1] + " " + sample + "'; try 'help'");
            }
            if (!(c instanceof Command.Invalid) && !names.singleCommand()) {
                return new Command.Invalid(names.needsName(verb, example));
            }
            return c;
        }
        if (args != 2 || !names.known()) {
            return names.known() ? usage("a program's name (or 'all') and one " + what + ", e.g. '" + example + "'")
                    : new Command.Invalid(legacyUsage);
        }
        Target t = target(words[1]);
        return t != null ? make.apply(t, words[2]) : new Command.Invalid(names.unknown(words[1]));
    }

    // ---- words

    /** {@code all}, a program's name, or null. */
    private Target target(String word) {
        if (word.equalsIgnoreCase(Target.All.WORD)) {
            return Target.ALL;
        }
        return names.isProgram(word) ? new Target.Named(word) : null;
    }

    /** A real name for the examples in error sentences. */
    private String example() {
        return names.known() ? sanitize(names.programs().get(0)) : "web";
    }

    private Command usage(String takes) {
        return new Command.Invalid("'" + verb + "' takes " + takes + ", not " + quote(rest()) + "; try 'help'");
    }

    private Command noArguments() {
        return new Command.Invalid("'" + verb + "' takes no arguments; try 'help'");
    }

    private String rest() {
        return String.join(" ", Arrays.copyOfRange(words, 1, words.length));
    }

    /** Quotes what the client sent, made safe for a terminal: control characters become '?', long text is cut. */
    static String quote(String text) {
        return "'" + sanitize(text) + "'";
    }

    static String sanitize(String text) {
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
