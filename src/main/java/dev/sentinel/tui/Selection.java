package dev.sentinel.tui;

import dev.sentinel.core.program.ProgramSnapshot;
import java.util.List;

/**
 * Which program the dashboard shows in detail (chart, output, process tree) and acts on.
 *
 * @param program the selected program's name; null for the first
 * @param tree whether its process tree is shown (Enter); with one program in single-command mode it always is
 * @param scroll the program table's scroll position (kept between frames)
 */
record Selection(String program, boolean tree, TableScroll scroll) {

    /** The first program, its tree hidden. */
    static Selection first() {
        return new Selection(null, false, new TableScroll());
    }

    /** The index of the selected program in {@code programs}: 0 when it is null or not there. */
    int index(List<ProgramSnapshot> programs) {
        return indexOf(program, programs);
    }

    static int indexOf(String name, List<ProgramSnapshot> programs) {
        if (name != null) {
            for (int i = 0; i < programs.size(); i++) {
                if (programs.get(i).name().equals(name)) {
                    return i;
                }
            }
        }
        return 0;
    }
}
