package dev.sentinel.control;

/** The reply to {@code help}: the grammar of {@link CommandParser}, worded for people. */
final class ProtocolHelp {

    static final String TEXT = String.join("\n",
            "Sentinel control socket: one command per connection, case-insensitive; the reply ends the connection.",
            "NAME is a program's name (exact case) or 'all' for every program; questions without NAME are about",
            "every program.",
            "  status [NAME] [json]   one line per program: name, pid, state, RSS, peak, limit and % used, processes,",
            "                         uptime, restarts, reason of the last stop, time to the next restart, readiness,",
            "                         check, socket",
            "  json [NAME]            the same as status json: one JSON object per line",
            "  watch [NAME] [json]    a status line after every sample, until you hang up",
            "  events [NAME] [N]      the last N lifecycle events (default 20) as JSON lines; a number alone is N",
            "  history [NAME] [json]  one line per run: start, duration, peak, how it ended and why (last 100 runs)",
            "  health [NAME] [verbose]",
            "                         'OK ready', or 'ERR not ready: ' and who and why (what /readyz answers); with",
            "                         NAME or verbose a line per program: ready, expected (to run), check, why",
            "  start NAME             start a program that waits to restart, has exited or was given up on (FATAL)",
            "  stop NAME              SIGTERM (its stop signal) to the tree, SIGKILL after the grace period",
            "  stop                   every program stops as 'stop NAME' does; then Sentinel exits",
            "  kill NAME              SIGKILL to the whole tree at once",
            "  restart NAME           stop the tree as 'stop' does, then start the same command again",
            "  limit NAME SIZE        change the memory limit, e.g. 'limit web 1G', 'limit web 512M', 'limit web none'",
            "  signal NAME SIG        send a signal to the program's process group, e.g. 'signal web HUP'",
            "  reload                 re-read the config file and apply what changed (sentinel --config FILE)",
            "  ping                   answers pong",
            "  version                Sentinel's version",
            "  help                   this text",
            "With one command (sentinel COMMAND), NAME may be left out or be that program's name: 'status json',",
            "'limit SIZE', 'signal HUP', 'restart' and 'stop' act on it. A word that could be two things is read by",
            "its place: 'status json' and 'events 20' are the format and the count, 'limit 1G' is a size.",
            "Orders (start, stop, kill, restart, limit, signal, reload) answer 'OK ...', one line per program with",
            "'all'; errors answer 'ERR ...'. Example: echo 'status web' | nc -U /tmp/sentinel.socket");

    private ProtocolHelp() {
    }
}
