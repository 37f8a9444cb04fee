package dev.sentinel.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.core.program.ProgramSnapshot;

/**
 * Turns key strokes into actions, and keeps the little state keys need: the help overlay, a
 * question waiting for y/n (before a kill, or before lowering the limit under the tree's RSS)
 * and which program it is about,
 * whether a quit is under way (a second q or Ctrl-C kills at once, as a second Ctrl-C does without
 * the dashboard), and the final hold (any key ends it). Dashboard thread only.
 */
final class KeyHandler {

    enum Action {
        NONE, QUIT, KILL_NOW, STOP, KILL, RESTART, RAISE_LIMIT, LOWER_LIMIT, REDRAW, SCROLL_UP, SCROLL_DOWN, FOLLOW,
        CANCELLED, END_HOLD, SELECT_UP, SELECT_DOWN, TOGGLE_TREE
    }

    private enum Pending { NONE, KILL, LOWER }

    private Pending pending = Pending.NONE;
    private String prompt;
    /** The program the question waiting is about. */
    private String askedAbout;
    /** The program the action last returned is about. */
    private String target;
    private boolean help;
    private boolean quitting;
    private boolean holding;

    /** What {@code key} asks for, given the selected program as the latest snapshot shows it (null if none). */
    Action handle(KeyStroke key, ProgramSnapshot program) {
        if (key == null || key.getKeyType() == KeyType.EOF) {
            return Action.NONE;
        }
        target = program == null ? null : program.name();
        if (holding) {
            return Action.END_HOLD;
        }
        Character ch = key.getKeyType() == KeyType.Character ? key.getCharacter() : null;
        if (pending != Pending.NONE) {
            Pending p = pending;
            pending = Pending.NONE;
            prompt = null;
            // The answer is about the program the question named, whatever is selected now.
            target = askedAbout;
            if (ch != null && !key.isCtrlDown() && (ch == 'y' || ch == 'Y')) {
                return p == Pending.KILL ? Action.KILL : Action.LOWER_LIMIT;
            }
            return Action.CANCELLED;
        }
        if (ch != null && key.isCtrlDown()) {
            return switch (ch) {
                case 'c' -> quit();
                case 'l' -> Action.REDRAW;
                default -> Action.NONE;
            };
        }
        switch (key.getKeyType()) {
            case Escape -> {
                help = false;
                return Action.NONE;
            }
            case PageUp -> {
                return Action.SCROLL_UP;
            }
            case PageDown -> {
                return Action.SCROLL_DOWN;
            }
            case End -> {
                return Action.FOLLOW;
            }
            case ArrowUp -> {
                return Action.SELECT_UP;
            }
            case ArrowDown -> {
                return Action.SELECT_DOWN;
            }
            case Enter -> {
                return Action.TOGGLE_TREE;
            }
            default -> {
                // characters below
            }
        }
        if (ch == null) {
            return Action.NONE;
        }
        if (program == null && "kK-_".indexOf(ch) >= 0) {
            return Action.NONE;
        }
        switch (ch) {
            case 'q', 'Q' -> {
                return quit();
            }
            case 's', 'S' -> {
                return Action.STOP;
            }
            case 'k', 'K' -> {
                pending = Pending.KILL;
                askedAbout = program.name();
                int n = program.processes().size();
                prompt = program.state() == ProgramState.BACKOFF
                        ? program.name() + " has no tree to kill; cancel its pending restart? y/n"
                        : "Kill " + program.name() + " now with SIGKILL (" + n + " process" + (n == 1 ? "" : "es")
                                + ")? y/n";
                return Action.NONE;
            }
            case 'r', 'R' -> {
                return Action.RESTART;
            }
            case '+', '=' -> {
                return Action.RAISE_LIMIT;
            }
            case '-', '_' -> {
                MemoryLimit lower = LimitStep.lowered(program.limit());
                if (program.limit().isSet() && lower.isExceededBy(program.rssBytes())) {
                    pending = Pending.LOWER;
                    askedAbout = program.name();
                    prompt = "Lower the limit to " + lower + ", below the tree's RSS of " + Fmt.bytes(program.rssBytes())
                            + "? The tree will be stopped. y/n";
                    return Action.NONE;
                }
                return Action.LOWER_LIMIT;
            }
            case '?', 'h', 'H' -> {
                help = !help;
                return Action.NONE;
            }
            default -> {
                return Action.NONE;
            }
        }
    }

    private Action quit() {
        if (quitting) {
            return Action.KILL_NOW;
        }
        quitting = true;
        return Action.QUIT;
    }

    /** From now on every key ends the final hold. */
    void enterHold() {
        holding = true;
        pending = Pending.NONE;
        prompt = null;
        help = false;
    }

    boolean helpVisible() {
        return help;
    }

    /** The question waiting for y/n, or null. */
    String prompt() {
        return prompt;
    }

    /**
     * The program the action {@link #handle} returned last is about: the selected one, or for the
     * answer to a question the one the question named.
     */
    String target() {
        return target;
    }

    /** Whether q (or Ctrl-C) was pressed: Sentinel is on its way out. */
    boolean quitting() {
        return quitting;
    }
}
