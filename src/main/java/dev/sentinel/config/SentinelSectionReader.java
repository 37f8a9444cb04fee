package dev.sentinel.config;

import dev.sentinel.platform.cgroup.CgroupMode;
import dev.sentinel.settings.TuiMode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads the {@code [sentinel]} table: Sentinel's own settings. */
final class SentinelSectionReader {

    static final List<String> KEYS = List.of("socket", "socket_mode", "socket_group", "metrics", "metrics_port",
            "metrics_host", "journal", "tui", "keep_running", "cgroup");

    private static final String SOCKET_ACCEPTED = "a path like \"/tmp/sentinel.socket\", or false for no socket";
    private static final String MODE_ACCEPTED = "an octal string like \"0600\" or \"0660\"";
    private static final String PORT_ACCEPTED = "a port from 0 to 65535 (0 picks a free one)";
    private static final String TUI_ACCEPTED = "\"auto\", \"always\" or \"never\"";

    private final Values values;

    SentinelSectionReader(Values values) {
        this.values = values;
    }

    SentinelSection read(ConfigNode.Table table) {
        Path socket = null;
        Boolean socketEnabled = null;
        Integer socketMode = null;
        String socketGroup = null;
        Boolean metrics = null;
        Integer metricsPort = null;
        String metricsHost = null;
        Path journal = null;
        TuiMode tui = null;
        boolean keepRunning = ConfigDefaults.KEEP_RUNNING;
        CgroupMode cgroup = null;
        for (Map.Entry<String, ConfigNode> e : table.entries().entrySet()) {
            Setting s = new Setting(KeyPath.child("sentinel", e.getKey()), e.getValue());
            switch (e.getKey()) {
                case "socket" -> {
                    if (s.node() instanceof ConfigNode.Bool b) {
                        if (b.value()) {
                            values.problem(s, "true is not accepted (a socket is on by default); use "
                                    + SOCKET_ACCEPTED + ".");
                        } else {
                            socketEnabled = false;
                        }
                    } else {
                        socket = values.path(s, "a socket path", SOCKET_ACCEPTED);
                        socketEnabled = socket == null ? null : Boolean.TRUE;
                    }
                }
                case "socket_mode" -> socketMode = mode(s);
                case "socket_group" -> socketGroup = values.nonBlank(s, "a group name", "a group name like \"sentinel\"");
                case "metrics" -> metrics = values.bool(s, "true, or false to serve no metrics");
                case "metrics_port" -> metricsPort = values.whole(s, 0, 65535, "a port", PORT_ACCEPTED);
                case "metrics_host" -> metricsHost = values.nonBlank(s, "an address",
                        "an address like \"0.0.0.0\" (all interfaces) or \"127.0.0.1\"");
                case "journal" -> journal = values.path(s, "a file path", "a file path like \"sentinel.journal\"");
                case "tui" -> tui = tui(s);
                case "keep_running" -> {
                    Boolean b = values.bool(s, "true to stay up when no program runs, or false");
                    keepRunning = b != null && b;
                }
                case "cgroup" -> cgroup = cgroup(s);
                default -> values.problem(s, UnknownKeys.message(e.getKey(), KEYS, UnknownKeys.Place.SENTINEL));
            }
        }
        return new SentinelSection(socket, socketEnabled, socketMode, socketGroup, metrics, metricsPort, metricsHost,
                journal, tui, keepRunning, cgroup);
    }

    private CgroupMode cgroup(Setting s) {
        String text = values.string(s, "a cgroup mode", "\"auto\", \"require\" or \"off\"");
        if (text == null) {
            return null;
        }
        try {
            return CgroupMode.parse(text);
        } catch (IllegalArgumentException e) {
            values.problem(s, e.getMessage());
            return null;
        }
    }

    private Integer mode(Setting s) {
        String text = values.string(s, "a file mode", MODE_ACCEPTED);
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.matches("[0-7]{1,4}")) {
            int mode = Integer.parseInt(t, 8);
            if (mode <= 0777) {
                return mode;
            }
        }
        values.problem(s, "'" + text + "' is not a file mode; use " + MODE_ACCEPTED + ".");
        return null;
    }

    private TuiMode tui(Setting s) {
        String text = values.string(s, "a dashboard mode", TUI_ACCEPTED);
        if (text == null) {
            return null;
        }
        switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "auto":
                return TuiMode.AUTO;
            case "always":
                return TuiMode.ALWAYS;
            case "never":
                return TuiMode.NEVER;
            default:
                values.problem(s, "'" + text + "' is not a dashboard mode; use " + TUI_ACCEPTED + ".");
                return null;
        }
    }
}
