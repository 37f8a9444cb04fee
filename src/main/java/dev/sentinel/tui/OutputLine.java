package dev.sentinel.tui;

/**
 * One line for the output pane, already sanitised.
 *
 * @param source who printed it: the child's stdout or stderr, or Sentinel itself
 */
record OutputLine(Source source, String text) {

    enum Source { STDOUT, STDERR, SENTINEL }
}
