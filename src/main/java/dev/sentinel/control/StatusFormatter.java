package dev.sentinel.control;

import dev.sentinel.text.ByteSize;
import dev.sentinel.text.Json;
import dev.sentinel.text.Durations;
import dev.sentinel.core.program.ProgramSnapshot;
import dev.sentinel.core.program.RestartReason;
import dev.sentinel.core.program.RestartStatus;
import dev.sentinel.core.RunInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * The two forms of a status line: one for people, one JSON object for scripts. Pure. Both are
 * part of the protocol users rely on; fields are only ever added, never renamed.
 *
 * <p>Human: {@code leaker pid=1234 state=RUNNING rss=120.5MiB peak=130MiB limit=512MiB used=23.5%
 * procs=3 uptime=1m02s restarts=0 last-stop=- next-restart=- kernel-limit=- cgroup=no ready=yes check=-
 * socket=/tmp/sentinel.socket}: the name, then {@code key=value} pairs whose values never contain
 * blanks, so {@code awk}/{@code grep} can pick them out. New keys go before {@code socket}, which
 * stays last (docs/protocol.md promises it); {@code notify-status} is there only while the
 * program's notify socket has said a {@code STATUS=}, percent-encoded to keep the promise.
 *
 * <p>{@code nowMillis} is the wall clock the answer is given at: a pending restart is shown as the
 * time left until it, and a snapshot can be older than that (the loop sleeps through a backoff).
 */
public final class StatusFormatter {

    /** How much of a program's {@code STATUS=} text the human line shows. */
    static final int MAX_FREE_TEXT = 200;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private StatusFormatter() {
    }

    public static String human(ProgramSnapshot p, RunInfo info, long nowMillis) {
        StringBuilder b = new StringBuilder(160);
        b.append(p.name())
                .append(" pid=").append(p.pid())
                .append(" state=").append(p.state())
                .append(" rss=").append(size(p.rssBytes()))
                .append(" peak=").append(size(p.peakRssBytes()))
                .append(" limit=").append(p.limit().isSet() ? size(p.limit().bytes()) : "none")
                .append(" used=").append(p.limit().isSet() ? String.format(Locale.ROOT, "%.1f%%", p.percentOfLimit()) : "-")
                .append(" procs=").append(p.processes().size())
                .append(" uptime=").append(Durations.formatWholeSeconds(p.uptimeMillis()))
                .append(" restarts=").append(p.restarts())
                .append(" last-stop=").append(p.lastStop() == null ? "-" : p.lastStop().label())
                .append(" next-restart=").append(nextRestart(p.restart(), nowMillis))
                .append(" kernel-limit=").append(p.kernelLimitBytes() > 0 ? size(p.kernelLimitBytes()) : "-")
                .append(" cgroup=").append(p.containment().startsWith("cgroup") ? "yes" : "no")
                .append(" ready=").append(p.health().ready() ? "yes" : "no")
                .append(" check=").append(check(p.health()) == null ? "-" : check(p.health()))
                // What rss=, peak= and used= count; socket= stays last.
                .append(" measure=").append(p.settings().measure().word());
        String status = p.health().notifyStatus();
        if (status != null && !status.isEmpty()) {
            b.append(" notify-status=").append(percentEncoded(status));
        }
        b.append(" socket=").append(info.socketPath() == null ? "-" : info.socketPath());
        return b.toString();
    }

    public static String json(ProgramSnapshot p, RunInfo info, long nowMillis) {
        RestartStatus r = p.restart();
        StringBuilder b = new StringBuilder(400);
        b.append('{');
        field(b, "name").append(Json.string(p.name())).append(',');
        field(b, "pid").append(p.pid()).append(',');
        field(b, "state").append(Json.string(p.state().name())).append(',');
        field(b, "rss_bytes").append(p.rssBytes()).append(',');
        field(b, "peak_rss_bytes").append(p.peakRssBytes()).append(',');
        field(b, "limit_bytes").append(p.limit().isSet() ? Long.toString(p.limit().bytes()) : "null").append(',');
        field(b, "percent_of_limit").append(Json.number(p.percentOfLimit(), 1)).append(',');
        field(b, "kernel_limit_bytes").append(p.kernelLimitBytes() > 0 ? Long.toString(p.kernelLimitBytes()) : "null")
                .append(',');
        field(b, "containment").append(Json.string(p.containment())).append(',');
        field(b, "processes").append(p.processes().size()).append(',');
        field(b, "uptime_seconds").append(Json.number(p.uptimeMillis() / 1000.0, 3)).append(',');
        field(b, "restarts").append(p.restarts()).append(',');
        field(b, "last_stop").append(p.lastStop() == null ? "null" : Json.string(p.lastStop().label())).append(',');
        field(b, "exit_status").append(p.exitStatus() < 0 ? "null" : Integer.toString(p.exitStatus())).append(',');
        field(b, "cpu_seconds").append(Json.number(p.cpuSeconds(), 2)).append(',');
        field(b, "growth_bytes_per_second").append(Json.number(p.growthBytesPerSecond(), 0)).append(',');
        field(b, "grace_seconds").append(Json.number(p.grace().toMillis() / 1000.0, 3)).append(',');
        field(b, "samples").append(p.samples()).append(',');
        field(b, "run").append(r.run()).append(',');
        field(b, "restart_policy").append(Json.string(p.settings().restart().policy().label())).append(',');
        field(b, "consecutive_failures").append(r.consecutiveFailures()).append(',');
        field(b, "max_restarts").append(p.settings().restart().maxRestarts()).append(',');
        field(b, "last_exit_status").append(r.lastExitStatus() < 0 ? "null" : Integer.toString(r.lastExitStatus()))
                .append(',');
        long left = r.millisToRestart(nowMillis);
        field(b, "next_restart_seconds").append(left < 0 ? "null" : Json.number(left / 1000.0, 3)).append(',');
        field(b, "tolerate_seconds").append(Json.number(p.settings().tolerate().toMillis() / 1000.0, 3)).append(',');
        field(b, "restarts_by_reason").append('{');
        RestartReason[] reasons = RestartReason.values();
        for (int i = 0; i < reasons.length; i++) {
            b.append(i == 0 ? "" : ",").append(Json.string(reasons[i].label())).append(':')
                    .append(r.byReason().get(reasons[i]));
        }
        b.append("},");
        field(b, "command").append('[');
        for (int i = 0; i < p.command().size(); i++) {
            b.append(i == 0 ? "" : ",").append(Json.string(p.command().get(i)));
        }
        b.append("],");
        ProgramSnapshot.Health h = p.health();
        field(b, "ready").append(h.ready()).append(',');
        field(b, "check").append(check(h) == null ? "null" : Json.string(check(h))).append(',');
        field(b, "check_failures").append(h.checkFailures()).append(',');
        field(b, "notify_status").append(h.notifyStatus() == null ? "null" : Json.string(h.notifyStatus())).append(',');
        field(b, "sentinel_pid").append(info.pid()).append(',');
        field(b, "socket").append(info.socketPath() == null ? "null" : Json.string(info.socketPath())).append(',');
        field(b, "version").append(Json.string(info.version())).append(',');
        // What rss_bytes, peak_rss_bytes and percent_of_limit count: rss, pss or cgroup (its working set).
        field(b, "measure").append(Json.string(p.settings().measure().word()));
        return b.append('}').toString();
    }

    /** Time left until the pending restart ({@code 2.1s}, {@code 0ms}), or {@code -} without one. */
    static String nextRestart(RestartStatus r, long nowMillis) {
        long left = r.millisToRestart(nowMillis);
        return left < 0 ? "-" : Durations.format(Duration.ofMillis(left));
    }

    /** {@code passing}, {@code failing}, or null: no check, or no verdict yet in this run. */
    static String check(ProgramSnapshot.Health h) {
        String c = h.check();
        return ProgramSnapshot.Health.PASSING.equals(c) || ProgramSnapshot.Health.FAILING.equals(c) ? c : null;
    }

    /**
     * A program's free text as one blank-free value: blanks, control characters and {@code %}
     * become {@code %XX} (the UTF-8 bytes, as in a URL), everything else stays as it is, so
     * {@code Loading 40%} reads {@code Loading%2040%25} and {@code urllib.parse.unquote} gives it
     * back. Longer text is cut at {@link #MAX_FREE_TEXT} characters; the JSON line has it whole.
     */
    static String percentEncoded(String text) {
        StringBuilder b = new StringBuilder(text.length() + 8);
        int count = 0;
        for (int i = 0; i < text.length() && count < MAX_FREE_TEXT; count++) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '%' || Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                    || cp == 0x2028 || cp == 0x2029) {
                for (byte x : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
                    b.append('%').append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
                }
            } else {
                b.appendCodePoint(cp);
            }
        }
        return b.toString();
    }

    /** {@code 512MiB}, {@code 120.5MiB}, {@code 0B}: {@link ByteSize#format} without the blank. */
    static String size(long bytes) {
        return ByteSize.format(bytes).replace(" ", "");
    }

    private static StringBuilder field(StringBuilder b, String name) {
        return b.append('"').append(name).append("\":");
    }
}
