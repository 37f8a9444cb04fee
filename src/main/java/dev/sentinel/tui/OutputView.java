package dev.sentinel.tui;

import java.util.List;

/** What the output pane reads: the newest lines of one program, and how many there were. */
interface OutputView {

    /** How many lines are kept now. */
    int size();

    /** How many lines were ever added, those dropped since included (a scrolled pane stays in place with it). */
    long total();

    /** Up to {@code count} lines, oldest first, ending {@code skip} lines before the newest. */
    List<OutputLine> window(int count, int skip);
}
