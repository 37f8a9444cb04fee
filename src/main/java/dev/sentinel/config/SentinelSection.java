package dev.sentinel.config;

import dev.sentinel.platform.cgroup.CgroupMode;
import dev.sentinel.settings.TuiMode;
import java.nio.file.Path;

/**
 * The file's {@code [sentinel]} table: settings of Sentinel itself. A null field was not set in
 * the file (the command line, the environment or the built-in default decides).
 *
 * @param socket the control socket's path
 * @param socketEnabled {@code socket = false} turns the socket off
 * @param socketMode the socket file's mode ({@code socket_mode = "0660"})
 * @param socketGroup the group owning the socket
 * @param metrics {@code metrics = false} turns the metrics endpoint off
 * @param metricsPort the metrics port, 0 for any free one
 * @param metricsHost the address metrics listen on
 * @param journal the journal file
 * @param tui auto, always, never
 * @param keepRunning stay up when no program runs or waits to restart (for {@code start NAME})
 * @param cgroup whether programs get cgroups of their own ({@code cgroup = "auto"})
 */
public record SentinelSection(Path socket, Boolean socketEnabled, Integer socketMode, String socketGroup,
                              Boolean metrics, Integer metricsPort, String metricsHost, Path journal, TuiMode tui,
                              boolean keepRunning, CgroupMode cgroup) {

    public static final SentinelSection EMPTY =
            new SentinelSection(null, null, null, null, null, null, null, null, null, false, null);

    /** Without a cgroup setting. */
    public SentinelSection(Path socket, Boolean socketEnabled, Integer socketMode, String socketGroup,
                           Boolean metrics, Integer metricsPort, String metricsHost, Path journal, TuiMode tui,
                           boolean keepRunning) {
        this(socket, socketEnabled, socketMode, socketGroup, metrics, metricsPort, metricsHost, journal, tui,
                keepRunning, null);
    }
}
