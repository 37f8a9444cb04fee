package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.TerminalTextUtils;
import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.AbstractTextGraphics;
import com.googlecode.lanterna.graphics.TextGraphics;
import com.googlecode.lanterna.terminal.Terminal;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A frame of the dashboard as plain arrays of characters and styles. Lanterna's own graphics make
 * an object for every cell written (about 100 bytes and half a microsecond each, 1.4 ms and 420 KiB
 * for a 120x40 frame), and a frame rewrites every cell; here a cell is an array slot. The dashboard
 * draws each frame into a grid, compares it with the grid it drew before, and writes only the
 * cells that changed to the terminal, so a frame that changes nothing costs a few array
 * comparisons and no write at all.
 *
 * <p>Writes follow Lanterna's rules (a double-width character covers the next cell too; writing
 * over half of one blanks it; a string ends at a line break; writes outside the area are dropped),
 * so what reaches the screen is what Lanterna's graphics would have drawn. Dashboard thread only.
 */
final class CellGrid {

    private static final SGR[] SGRS = SGR.values();
    private static final byte PADDING = 1;
    private static final byte WIDE = 2;
    /** Hangul Jamo, the first block Lanterna draws double-width. */
    static final char FIRST_WIDE = '\u1100';

    private final int width;
    private final int height;
    private final char[] chars;
    private final TextColor[] foreground;
    private final TextColor[] background;
    private final short[] modifiers;
    /** {@link #WIDE} for a double-width character, {@link #PADDING} for the cell it also covers. */
    private final byte[] shape;

    CellGrid(TerminalSize size) {
        this.width = Math.max(0, size.getColumns());
        this.height = Math.max(0, size.getRows());
        int n = width * height;
        chars = new char[n];
        foreground = new TextColor[n];
        background = new TextColor[n];
        modifiers = new short[n];
        shape = new byte[n];
        clear();
    }

    TerminalSize size() {
        return new TerminalSize(width, height);
    }

    boolean fits(TerminalSize size) {
        return size.getColumns() == width && size.getRows() == height;
    }

    /** Blank cells in the default colours, as Lanterna's screen starts. */
    void clear() {
        Arrays.fill(chars, ' ');
        Arrays.fill(foreground, TextColor.ANSI.DEFAULT);
        Arrays.fill(background, TextColor.ANSI.DEFAULT);
        Arrays.fill(modifiers, (short) 0);
        Arrays.fill(shape, (byte) 0);
    }

    /** Graphics over the whole grid, for the view to draw with. */
    TextGraphics graphics() {
        return new Pen(this, 0, 0, width, height, 0, 0, width, height);
    }

    /**
     * Writes to {@code terminal} the cells that differ from {@code shown} (a grid of the same
     * size: what the terminal shows now), then makes {@code shown} a copy of this grid, and
     * flushes if anything was written. With {@code shown} null the terminal is cleared and every
     * cell is written. Lanterna's screen would compare every cell again (and look up each
     * character's Unicode block to do so) and write the cursor's state on every refresh; this
     * writes only what changed, and nothing at all when nothing did.
     *
     * @return how many cells were written
     */
    int writeTo(Terminal terminal, CellGrid shown) throws IOException {
        if (shown != null && !fits(shown.size())) {
            throw new IllegalArgumentException("grids of different sizes");
        }
        if (shown == null) {
            terminal.resetColorAndSGR();
            terminal.clearScreen();
        }
        Pencil pencil = new Pencil(terminal);
        int written = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                boolean skip = shown != null ? sameCell(shown, i) : isBlank(i);
                // The cell after a double-width character is covered by it.
                if (skip || shape[i] == PADDING) {
                    continue;
                }
                pencil.put(x, y, chars[i], foreground[i], background[i], modifiers[i], shape[i] == WIDE);
                written++;
            }
        }
        if (written > 0 || shown == null) {
            terminal.flush();
        }
        if (shown != null && written > 0) {
            shown.copyFrom(this);
        }
        return written;
    }

    private boolean isBlank(int i) {
        return chars[i] == ' ' && modifiers[i] == 0 && shape[i] == 0 && TextColor.ANSI.DEFAULT.equals(foreground[i])
                && TextColor.ANSI.DEFAULT.equals(background[i]);
    }

    /** Moves the cursor and changes colours and modifiers only when the next cell needs it. */
    private static final class Pencil {

        private final Terminal terminal;
        private int column = -1;
        private int row = -1;
        private TextColor foreground;
        private TextColor background;
        private short modifiers;

        Pencil(Terminal terminal) throws IOException {
            this.terminal = terminal;
            terminal.resetColorAndSGR();
            foreground = TextColor.ANSI.DEFAULT;
            background = TextColor.ANSI.DEFAULT;
        }

        void put(int x, int y, char c, TextColor fg, TextColor bg, short mods, boolean wide) throws IOException {
            if (x != column || y != row) {
                terminal.setCursorPosition(x, y);
            }
            if (mods != modifiers) {
                for (SGR s : SGRS) {
                    int bit = 1 << s.ordinal();
                    if ((modifiers & bit) != 0 && (mods & bit) == 0) {
                        terminal.disableSGR(s);
                    } else if ((modifiers & bit) == 0 && (mods & bit) != 0) {
                        terminal.enableSGR(s);
                    }
                }
                modifiers = mods;
            }
            if (!fg.equals(foreground)) {
                terminal.setForegroundColor(fg);
                foreground = fg;
            }
            if (!bg.equals(background)) {
                terminal.setBackgroundColor(bg);
                background = bg;
            }
            terminal.putCharacter(c);
            column = x + (wide ? 2 : 1);
            row = y;
        }
    }

    /** A copy of this grid (for the next comparison). */
    CellGrid copy() {
        CellGrid c = new CellGrid(size());
        c.copyFrom(this);
        return c;
    }

    private void copyFrom(CellGrid other) {
        System.arraycopy(other.chars, 0, chars, 0, chars.length);
        System.arraycopy(other.foreground, 0, foreground, 0, foreground.length);
        System.arraycopy(other.background, 0, background, 0, background.length);
        System.arraycopy(other.modifiers, 0, modifiers, 0, modifiers.length);
        System.arraycopy(other.shape, 0, shape, 0, shape.length);
    }

    private boolean sameCell(CellGrid other, int i) {
        return chars[i] == other.chars[i] && modifiers[i] == other.modifiers[i] && shape[i] == other.shape[i]
                && Objects.equals(foreground[i], other.foreground[i])
                && Objects.equals(background[i], other.background[i]);
    }

    TextCharacter character(int x, int y) {
        return character(y * width + x);
    }

    private TextCharacter character(int i) {
        return TextCharacter.fromCharacter(chars[i], foreground[i], background[i], sgrs(modifiers[i]))[0];
    }

    private static SGR[] sgrs(short mask) {
        if (mask == 0) {
            return new SGR[0];
        }
        SGR[] out = new SGR[Integer.bitCount(mask)];
        int n = 0;
        for (SGR s : SGRS) {
            if ((mask & (1 << s.ordinal())) != 0) {
                out[n++] = s;
            }
        }
        return out;
    }

    /** Lanterna's double-width test, skipped below U+1100 where no character is double-width. */
    static boolean isWide(char c) {
        return c >= FIRST_WIDE && TerminalTextUtils.isCharDoubleWidth(c);
    }

    private void put(int x, int y, char c, TextColor fg, TextColor bg, short mods) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return;
        }
        int i = y * width + x;
        if (x > 0 && shape[i - 1] == WIDE) {
            // Half of a double-width character is overwritten: the rest of it turns blank.
            chars[i - 1] = ' ';
            shape[i - 1] = 0;
        }
        if (shape[i] == WIDE && x + 1 < width) {
            shape[i + 1] = 0;
        }
        chars[i] = c;
        foreground[i] = fg;
        background[i] = bg;
        modifiers[i] = mods;
        shape[i] = 0;
        if (isWide(c)) {
            shape[i] = WIDE;
            if (x + 1 < width) {
                int j = i + 1;
                if (shape[j] == WIDE && x + 2 < width) {
                    shape[j + 1] = 0;
                }
                chars[j] = ' ';
                foreground[j] = fg;
                background[j] = bg;
                modifiers[j] = mods;
                shape[j] = PADDING;
            }
        }
    }

    /**
     * Graphics over a clipped area of a grid. Size and origin are those asked for (as Lanterna's
     * sub-graphics have), writes land only inside the clip: this area intersected with its parents.
     */
    private static final class Pen extends AbstractTextGraphics {

        private final CellGrid grid;
        private final int originX;
        private final int originY;
        private final int columns;
        private final int rows;
        private final int clipX0;
        private final int clipY0;
        private final int clipX1;
        private final int clipY1;

        Pen(CellGrid grid, int originX, int originY, int columns, int rows, int clipX0, int clipY0, int clipX1,
            int clipY1) {
            this.grid = grid;
            this.originX = originX;
            this.originY = originY;
            this.columns = columns;
            this.rows = rows;
            this.clipX0 = Math.max(clipX0, originX);
            this.clipY0 = Math.max(clipY0, originY);
            this.clipX1 = Math.min(clipX1, originX + columns);
            this.clipY1 = Math.min(clipY1, originY + rows);
        }

        @Override
        public TerminalSize getSize() {
            return new TerminalSize(columns, rows);
        }

        @Override
        public TextGraphics newTextGraphics(TerminalPosition topLeft, TerminalSize size) {
            return new Pen(grid, originX + topLeft.getColumn(), originY + topLeft.getRow(), size.getColumns(),
                    size.getRows(), clipX0, clipY0, clipX1, clipY1);
        }

        @Override
        public TextGraphics setCharacter(int column, int row, char character) {
            write(column, row, character == '\t' ? ' ' : character, mask());
            return this;
        }

        @Override
        public TextGraphics setCharacter(int column, int row, TextCharacter character) {
            int x = originX + column;
            int y = originY + row;
            if (inside(x, y)) {
                short mods = 0;
                for (SGR s : character.getModifiers()) {
                    mods |= (short) (1 << s.ordinal());
                }
                grid.put(x, y, character.getCharacterString().charAt(0), character.getForegroundColor(),
                        character.getBackgroundColor(), mods);
            }
            return this;
        }

        @Override
        public TextCharacter getCharacter(int column, int row) {
            int x = originX + column;
            int y = originY + row;
            return inside(x, y) ? grid.character(x, y) : null;
        }

        @Override
        public TextGraphics putString(int column, int row, String string) {
            String s = string;
            int cut = firstLineBreak(s);
            if (cut >= 0) {
                s = s.substring(0, cut);
            }
            if (s.indexOf('\t') >= 0) {
                s = getTabBehaviour().replaceTabs(s, column);
            }
            short mods = mask();
            int offset = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                write(column + offset, row, c, mods);
                offset += isWide(c) ? 2 : 1;
            }
            return this;
        }

        @Override
        public TextGraphics fill(char c) {
            short mods = mask();
            for (int row = 0; row < rows; row++) {
                for (int column = 0; column < columns; column++) {
                    write(column, row, c, mods);
                }
            }
            return this;
        }

        private void write(int column, int row, char c, short mods) {
            int x = originX + column;
            int y = originY + row;
            if (inside(x, y)) {
                grid.put(x, y, c, foregroundColor, backgroundColor, mods);
            }
        }

        private short mask() {
            if (activeModifiers.isEmpty()) {
                return 0;
            }
            short m = 0;
            for (SGR s : activeModifiers) {
                m |= (short) (1 << s.ordinal());
            }
            return m;
        }

        private boolean inside(int x, int y) {
            return x >= clipX0 && x < clipX1 && y >= clipY0 && y < clipY1;
        }

        private static int firstLineBreak(String s) {
            int n = s.indexOf('\n');
            int r = s.indexOf('\r');
            return n < 0 ? r : r < 0 ? n : Math.min(n, r);
        }
    }
}
