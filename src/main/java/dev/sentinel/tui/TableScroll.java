package dev.sentinel.tui;

/**
 * Which program is the first row of the program table: it moves only as far as needed to keep
 * the selected row in view, so moving the selection within the visible rows never scrolls (as
 * in htop). Dashboard thread only.
 */
final class TableScroll {

    private int top;

    /** The first row to show for {@code selected} of {@code count} programs in {@code visible} rows. */
    int top(int selected, int visible, int count) {
        if (visible <= 0 || count <= 0) {
            return Math.max(0, selected);
        }
        top = Math.max(0, Math.min(top, count - visible));
        if (selected < top) {
            top = selected;
        } else if (selected >= top + visible) {
            top = selected - visible + 1;
        }
        return top;
    }
}
