package dev.sentinel.control;

import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The names a command line may use, and the sentences that list them when it uses another. Taken
 * from the snapshot a line is parsed against; an order checks its names again on the loop, where a
 * reload may have changed them since.
 *
 * @param programs the programs' names, in config order; empty when none are known
 *                 ({@link CommandParser#parse(String)}: only the unnamed forms are understood)
 * @param singleCommand true for a Sentinel guarding one command from its command line, where a
 *                      command without a name means that program
 * @param selfName the name events about Sentinel itself carry ({@code events sentinel}), or null
 */
record ProgramNames(List<String> programs, boolean singleCommand, String selfName) {

    /** No names known: the grammar of a single-command Sentinel before programs had names. */
    static final ProgramNames NONE = new ProgramNames(List.of(), true, null);

    /** More names than this are cut from an error line, which stays one readable line. */
    static final int MAX_LISTED = 30;

    ProgramNames {
        programs = List.copyOf(programs);
    }

    static ProgramNames of(Snapshot snapshot, String selfName) {
        List<String> names = new ArrayList<>(snapshot.programs().size());
        for (ProgramSnapshot p : snapshot.programs()) {
            names.add(p.name());
        }
        return new ProgramNames(names, !snapshot.info().configMode(), selfName);
    }

    boolean known() {
        return !programs.isEmpty();
    }

    boolean isProgram(String word) {
        return programs.contains(word);
    }

    /** For {@code events}: a program, or Sentinel's own name. */
    boolean isEventSource(String word) {
        return isProgram(word) || word.equals(selfName);
    }

    /** The reply to a name that is none of these programs. */
    String unknown(String word) {
        return "no program called " + CommandParser.quote(word) + "; " + listing();
    }

    /** The reply to an order without a name where one is needed (config mode). */
    String needsName(String verb, String example) {
        return "'" + verb + "' needs a program's name or 'all', e.g. '" + example + "'; " + listing();
    }

    /** "the programs are: web, db", or the one program of a single-command Sentinel. */
    String listing() {
        if (singleCommand && programs.size() == 1) {
            return "this Sentinel guards one program: " + CommandParser.sanitize(programs.get(0));
        }
        StringBuilder b = new StringBuilder("the programs are: ");
        for (int i = 0; i < programs.size() && i < MAX_LISTED; i++) {
            b.append(i == 0 ? "" : ", ").append(CommandParser.sanitize(programs.get(i)));
        }
        if (programs.size() > MAX_LISTED) {
            b.append(" and ").append(programs.size() - MAX_LISTED).append(" more (see 'status')");
        }
        return b.toString();
    }
}
