package dev.sentinel.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.TextGraphics;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.ProgramSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * The essentials for a tiny terminal, of the selected program when there are several: name (and
 * which of how many), state, readiness (for a program with a check or a readiness to wait for),
 * RSS against the limit with its bar, growth
 * (in BACKOFF the countdown and which restart of the streak is next; in FATAL after how many
 * restarts Sentinel gave up), and the footer. Lines that do not fit are left out from the bottom;
 * the footer (keys, question or final banner) keeps the last row when there are at least four.
 */
final class CompactView {

    private CompactView() {
    }

    static void draw(TextGraphics g, Frame f, ProgramSnapshot p) {
        int w = g.getSize().getColumns();
        int h = g.getSize().getRows();
        if (h < 3) {
            // One or two rows: everything on a line each, most important first.
            g.enableModifiers(SGR.BOLD);
            String state = p.state() == ProgramState.BACKOFF ? p.state() + " " + inTime(p, f) : p.state().name();
            g.putString(0, 0, Fmt.fit(title(f, p) + " " + state + " " + usage(p), w));
            g.disableModifiers(SGR.BOLD);
            if (h == 2) {
                g.putString(0, 1, Fmt.fit(footerText(f), w));
            }
            return;
        }
        int footerRows = h >= 4 ? 1 : 0;
        List<Runnable> lines = new ArrayList<>();
        int[] y = {0};
        lines.add(() -> {
            g.enableModifiers(SGR.BOLD);
            g.putString(0, y[0], Fmt.fit(title(f, p), w));
            g.disableModifiers(SGR.BOLD);
        });
        lines.add(() -> {
            g.setForegroundColor(DashboardView.stateColor(p.state()));
            g.enableModifiers(SGR.BOLD);
            String state = p.state().name();
            g.putString(0, y[0], Fmt.fit(state, w));
            g.disableModifiers(SGR.BOLD);
            if (p.state() == ProgramState.BACKOFF) {
                g.putString(state.length(), y[0], Fmt.fit(" " + inTime(p, f), w - state.length()));
            } else if (p.pid() != 0 && p.state() != ProgramState.FATAL && w > state.length() + 6) {
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
                g.putString(state.length(), y[0], Fmt.fit(" pid " + p.pid(), w - state.length()));
            }
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        });
        String health = HealthText.line(p);
        if (health != null) {
            lines.add(() -> {
                g.setForegroundColor(HealthText.color(p, TextColor.ANSI.DEFAULT));
                g.putString(0, y[0], Fmt.fit(health, w));
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            });
        }
        lines.add(() -> g.putString(0, y[0], Fmt.fit(usage(p), w)));
        if (p.limit().isSet()) {
            lines.add(() -> {
                double pct = p.percentOfLimit();
                String label = " " + Math.round(pct) + "%";
                int barW = Math.max(0, w - label.length());
                UsageBar.draw(g, 0, y[0], barW, pct);
                g.setForegroundColor(UsageBar.colorFor(pct));
                g.putString(barW, y[0], Fmt.fit(label, w - barW));
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            });
        }
        if (f.finalReason() != null && p.state() != ProgramState.FATAL) {
            lines.add(() -> {
                g.setForegroundColor(TextColor.ANSI.MAGENTA);
                g.putString(0, y[0], Fmt.fit(f.finalReason(), w));
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            });
        } else if (p.isUp()) {
            lines.add(() -> {
                String eta = DashboardView.timeToLimit(p);
                g.putString(0, y[0], Fmt.fit(Fmt.growth(p.growthBytesPerSecond()) + (eta == null ? "" : " " + eta), w));
            });
        } else if (p.state() == ProgramState.BACKOFF) {
            lines.add(() -> {
                int n = p.restart().consecutiveFailures();
                int max = p.settings().restart().maxRestarts();
                String which = n <= 0 ? "restarts " + p.restarts()
                        : "restart " + n + (max > 0 ? " of " + max : " in a row");
                g.putString(0, y[0], Fmt.fit(which, w));
            });
        } else if (p.state() == ProgramState.FATAL) {
            lines.add(() -> {
                g.setForegroundColor(TextColor.ANSI.RED);
                g.putString(0, y[0], Fmt.fit("gave up: " + RestartText.gaveUpAfter(p, f.snapshot().events())
                        + " restarts", w));
                g.setForegroundColor(TextColor.ANSI.DEFAULT);
            });
        }
        int room = h - footerRows;
        for (int i = 0; i < lines.size() && i < room; i++) {
            y[0] = i;
            lines.get(i).run();
        }
        if (footerRows > 0) {
            TextColor bg = f.finalHint() != null ? TextColor.ANSI.MAGENTA
                    : f.prompt() != null ? TextColor.ANSI.RED : TextColor.ANSI.BLUE;
            g.setBackgroundColor(bg);
            g.setForegroundColor(TextColor.ANSI.WHITE_BRIGHT);
            g.putString(0, h - 1, Fmt.left(footerText(f), w));
            g.setBackgroundColor(TextColor.ANSI.DEFAULT);
            g.setForegroundColor(TextColor.ANSI.DEFAULT);
        }
    }

    /** The program's name; with several, which of them it is: {@code web 2/50} (up and down select another). */
    private static String title(Frame f, ProgramSnapshot p) {
        if (!f.manyPrograms()) {
            return p.name();
        }
        int n = f.snapshot().programs().size();
        return p.name() + " " + (f.selection().index(f.snapshot().programs()) + 1) + "/" + n;
    }

    /** {@code in 2.1s}: the countdown to the restart, short; {@code now} once it is due. */
    private static String inTime(ProgramSnapshot p, Frame f) {
        long left = p.restart().millisToRestart(f.nowMillis());
        return left < 0 ? "pending" : left == 0 ? "now" : "in " + Fmt.countdown(left);
    }

    /** {@code 61.3 MiB / 300 MiB}, or the RSS alone without a limit. */
    static String usage(ProgramSnapshot p) {
        return Fmt.bytes(p.rssBytes()) + (p.limit().isSet() ? " / " + Fmt.limit(p.limit()) : " (no limit)");
    }

    private static String footerText(Frame f) {
        if (f.finalHint() != null) {
            return f.finalHint();
        }
        if (f.prompt() != null) {
            return f.prompt();
        }
        if (f.status() != null) {
            return f.status();
        }
        return f.quitting() ? "stopping · q: kill now" : "q quit  ? help";
    }
}
