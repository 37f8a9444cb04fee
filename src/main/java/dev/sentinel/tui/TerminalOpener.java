package dev.sentinel.tui;

import com.googlecode.lanterna.screen.TerminalScreen;

/** Opens the screen the dashboard draws on: the real terminal, or a virtual one in tests. */
@FunctionalInterface
interface TerminalOpener {

    /** A screen ready to start; throws when there is no terminal to take over. */
    TerminalScreen open() throws NoTerminalException;
}
