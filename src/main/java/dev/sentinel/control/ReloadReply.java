package dev.sentinel.control;

import dev.sentinel.core.ReloadOutcome;
import java.util.List;

/**
 * Words the reply to {@code reload} as the protocol's other multi-line replies are worded: a first
 * line that says how it went ({@code OK} or {@code ERR}, so {@code sentinel ctl} and scripts know
 * from it alone), then one line per change or problem, as the reload gave them.
 *
 * <pre>
 * OK reloaded /etc/sentinel.toml                  ERR reload refused, nothing was changed: 2 problems
 * web: restarted with its new settings            /etc/sentinel.toml:4: programs.web.memory_limit: ...
 * db: unchanged                                   /etc/sentinel.toml:9: programs.db: unknown key 'cmd'
 * </pre>
 *
 * A refusal with one line (the single-command Sentinel's, a file that cannot be read) is that one
 * line after {@code ERR}, like every other one-line error.
 */
final class ReloadReply {

    private ReloadReply() {
    }

    /** @param configFile the file reloaded, or null when there is none */
    static String of(ReloadOutcome outcome, String configFile) {
        List<String> lines = outcome.lines();
        StringBuilder b = new StringBuilder();
        if (outcome.applied()) {
            b.append("OK reloaded ").append(configFile != null ? configFile : "the config file")
                    .append(lines.isEmpty() ? ": nothing changed" : "").append('\n');
            lines.forEach(l -> b.append(oneLine(l)).append('\n'));
        } else if (lines.size() == 1) {
            b.append("ERR ").append(oneLine(lines.get(0))).append('\n');
        } else {
            b.append("ERR reload refused, nothing was changed").append(lines.isEmpty() ? ""
                    : ": " + lines.size() + " problems").append('\n');
            lines.forEach(l -> b.append(oneLine(l)).append('\n'));
        }
        return b.toString();
    }

    /** A line of the reply can never break the protocol's lines, nor a terminal (the file's text is quoted in it). */
    static String oneLine(String text) {
        StringBuilder b = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> b.appendCodePoint(cp == '\t' ? ' '
                : Character.isISOControl(cp) || !Character.isDefined(cp) ? '?' : cp));
        return b.toString();
    }
}
