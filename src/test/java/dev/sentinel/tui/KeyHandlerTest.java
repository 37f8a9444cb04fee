package dev.sentinel.tui;

import static dev.sentinel.tui.KeyHandler.Action.CANCELLED;
import static dev.sentinel.tui.KeyHandler.Action.END_HOLD;
import static dev.sentinel.tui.KeyHandler.Action.FOLLOW;
import static dev.sentinel.tui.KeyHandler.Action.KILL;
import static dev.sentinel.tui.KeyHandler.Action.KILL_NOW;
import static dev.sentinel.tui.KeyHandler.Action.LOWER_LIMIT;
import static dev.sentinel.tui.KeyHandler.Action.NONE;
import static dev.sentinel.tui.KeyHandler.Action.QUIT;
import static dev.sentinel.tui.KeyHandler.Action.RAISE_LIMIT;
import static dev.sentinel.tui.KeyHandler.Action.REDRAW;
import static dev.sentinel.tui.KeyHandler.Action.RESTART;
import static dev.sentinel.tui.KeyHandler.Action.SCROLL_DOWN;
import static dev.sentinel.tui.KeyHandler.Action.SCROLL_UP;
import static dev.sentinel.tui.KeyHandler.Action.STOP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.sentinel.core.program.ProgramSnapshot;
import org.junit.jupiter.api.Test;

class KeyHandlerTest {

    private final KeyHandler keys = new KeyHandler();
    private final ProgramSnapshot app = Fixtures.running(56, 100);

    private KeyHandler.Action press(char c) {
        return keys.handle(new KeyStroke(c, false, false), app);
    }

    private KeyHandler.Action ctrl(char c) {
        return keys.handle(new KeyStroke(c, true, false), app);
    }

    private KeyHandler.Action press(KeyType t) {
        return keys.handle(new KeyStroke(t), app);
    }

    @Test
    void lettersGiveTheirOrders() {
        assertEquals(STOP, press('s'));
        assertEquals(RESTART, press('r'));
        assertEquals(RAISE_LIMIT, press('+'));
        assertEquals(RAISE_LIMIT, press('='), "the unshifted + key");
        assertEquals(LOWER_LIMIT, press('-'));
        assertEquals(NONE, press('x'));
        assertEquals(REDRAW, ctrl('l'));
    }

    @Test
    void quitThenQuitAgainKills() {
        assertFalse(keys.quitting());
        assertEquals(QUIT, press('q'));
        assertTrue(keys.quitting());
        assertEquals(KILL_NOW, press('q'));
    }

    @Test
    void ctrlCIsQuit() {
        assertEquals(QUIT, ctrl('c'));
        assertEquals(KILL_NOW, ctrl('c'));
    }

    @Test
    void killAsksForConfirmation() {
        assertEquals(NONE, press('k'));
        assertEquals("Kill app now with SIGKILL (3 processes)? y/n", keys.prompt());
        assertEquals(KILL, press('y'));
        assertNull(keys.prompt());
    }

    @Test
    void inBackoffKAsksToCancelThePendingRestart() {
        ProgramSnapshot waiting = Fixtures.backoff(Fixtures.T0 + 2_000);
        assertEquals(NONE, keys.handle(new KeyStroke('k', false, false), waiting));
        assertEquals("app has no tree to kill; cancel its pending restart? y/n", keys.prompt());
        assertEquals(KILL, keys.handle(new KeyStroke('y', false, false), waiting));
        assertEquals(RESTART, keys.handle(new KeyStroke('r', false, false), waiting), "r starts it now");
        assertEquals(STOP, keys.handle(new KeyStroke('s', false, false), waiting), "s cancels the restart");
    }

    @Test
    void anyOtherAnswerCancelsTheKill() {
        press('k');
        assertEquals(CANCELLED, press('n'));
        assertNull(keys.prompt());
        press('k');
        assertEquals(CANCELLED, press(KeyType.Escape));
        press('k');
        assertEquals(CANCELLED, press('k'), "k again does not confirm");
        assertEquals(STOP, press('s'), "after the answer keys work as before");
    }

    @Test
    void loweringTheLimitUnderTheRssAsksFirst() {
        ProgramSnapshot near = Fixtures.running(95, 100);
        assertEquals(NONE, keys.handle(new KeyStroke('-', false, false), near));
        assertTrue(keys.prompt().startsWith("Lower the limit to 90 MiB, below the tree's RSS of 95 MiB?"), keys.prompt());
        assertEquals(LOWER_LIMIT, keys.handle(new KeyStroke('Y', false, false), near));
        assertEquals(NONE, keys.handle(new KeyStroke('-', false, false), near));
        assertEquals(CANCELLED, keys.handle(new KeyStroke('n', false, false), near));
    }

    @Test
    void helpTogglesAndEscapeCloses() {
        assertEquals(NONE, press('?'));
        assertTrue(keys.helpVisible());
        assertEquals(NONE, press('?'));
        assertFalse(keys.helpVisible());
        press('h');
        assertTrue(keys.helpVisible());
        press(KeyType.Escape);
        assertFalse(keys.helpVisible());
    }

    @Test
    void pagesScrollTheOutput() {
        assertEquals(SCROLL_UP, press(KeyType.PageUp));
        assertEquals(SCROLL_DOWN, press(KeyType.PageDown));
        assertEquals(FOLLOW, press(KeyType.End));
    }

    @Test
    void duringTheFinalHoldEveryKeyEndsIt() {
        press('k');
        keys.enterHold();
        assertNull(keys.prompt());
        assertEquals(END_HOLD, press('x'));
        assertEquals(END_HOLD, press(KeyType.Enter));
        assertEquals(END_HOLD, press('q'));
    }

    @Test
    void nothingAndEndOfInputAreNoKeys() {
        assertEquals(NONE, keys.handle(null, app));
        assertEquals(NONE, press(KeyType.EOF));
    }

    @Test
    void arrowsSelectAndEnterShowsTheTree() {
        assertEquals(KeyHandler.Action.SELECT_UP, press(KeyType.ArrowUp));
        assertEquals(KeyHandler.Action.SELECT_DOWN, press(KeyType.ArrowDown));
        assertEquals(KeyHandler.Action.TOGGLE_TREE, press(KeyType.Enter));
    }

    @Test
    void theAnswerIsAboutTheProgramTheQuestionNamed() {
        ProgramSnapshot cron = Fixtures.renamed(Fixtures.running(56, 100), "cron", 0);
        ProgramSnapshot web = Fixtures.renamed(Fixtures.running(56, 100), "web", 0);
        assertEquals(NONE, keys.handle(new KeyStroke('k', false, false), cron));
        assertEquals("Kill cron now with SIGKILL (3 processes)? y/n", keys.prompt());
        assertEquals(KILL, keys.handle(new KeyStroke('y', false, false), web));
        assertEquals("cron", keys.target(), "the kill is cron's, whatever the snapshot shows as selected now");
        assertEquals(STOP, keys.handle(new KeyStroke('s', false, false), web));
        assertEquals("web", keys.target());
        assertEquals(NONE, keys.handle(new KeyStroke('k', false, false), null), "no program: nothing to ask about");
        assertNull(keys.prompt());
    }
}
