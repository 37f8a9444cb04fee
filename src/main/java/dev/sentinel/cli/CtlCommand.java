package dev.sentinel.cli;

import dev.sentinel.control.ControlSettings;
import dev.sentinel.settings.DurationType;
import dev.sentinel.text.Durations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code sentinel ctl [--socket PATH] COMMAND...}: sends one command to a running Sentinel over
 * its control socket and prints the reply. Exit 0 on a reply, 1 on an {@code ERR} reply, 2 when
 * no Sentinel answers at the path (or the command line is wrong).
 */
public final class CtlCommand {

    private final Path socket;
    private final Duration timeout;
    private final List<String> words;
    private final PrintStream out;
    private final PrintStream err;

    private CtlCommand(ParseResult parsed, PrintStream out, PrintStream err) {
        this.socket = CommandModels.value(parsed, "--socket");
        this.timeout = CommandModels.value(parsed, "--timeout");
        this.words = parsed.commandSpec().positionalParameters().get(0).getValue();
        this.out = out;
        this.err = err;
    }

    /** Runs {@code sentinel ctl ARGS} (the words after {@code ctl}) and returns the exit status. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        return CommandModels.run(spec(), args, new PrintWriter(out, true), new PrintWriter(err, true),
                "no command given: say what to send, e.g. 'sentinel ctl status'.",
                parsed -> new CtlCommand(parsed, out, err).call());
    }

    static CommandSpec spec() {
        CommandSpec spec = CommandModels.command("sentinel ctl",
                "Sends one command to a running Sentinel over its control socket and prints the reply.",
                new String[] {"sentinel ctl [--socket PATH] COMMAND [ARGS...]"},
                "Commands: status [NAME] [json], json [NAME], watch [NAME] [json], events [NAME] [N], "
                        + "history [NAME] [json], health [NAME] [verbose], start|stop|kill|restart NAME, "
                        + "limit NAME SIZE, signal NAME SIG, reload, ping, version, help ('sentinel ctl help' asks "
                        + "Sentinel itself). NAME is a program or 'all'; a Sentinel guarding one command needs none: 'limit 1G', 'stop'.",
                "Exit status: 0 when Sentinel answered, 1 when it answered ERR (for any program), 2 when no "
                        + "Sentinel answers at the path (or the command line is wrong).");
        spec.addOption(OptionSpec.builder("-s", "--socket").type(Path.class).paramLabel("PATH")
                .defaultValue("${env:SENTINEL_SOCKET}")
                .description("Control socket of the Sentinel to talk to. (env SENTINEL_SOCKET, default "
                        + "/tmp/sentinel.socket)").build());
        spec.addOption(OptionSpec.builder("-t", "--timeout").type(Duration.class).paramLabel("DURATION")
                .defaultValue("5s").converters(new Converter<>(DurationType.ANY))
                .description("How long to wait for the reply (watch waits as long as Sentinel runs). "
                        + "(default ${DEFAULT-VALUE})").build());
        spec.addPositional(PositionalParamSpec.builder().arity("1..*").required(true).paramLabel("COMMAND")
                .type(List.class).auxiliaryTypes(String.class)
                .description("The command and its arguments, e.g. status, 'status web', 'limit web 1G', 'restart all'.").build());
        CommandModels.addStandardHelp(spec);
        return spec;
    }

    private int call() {
        Path path = socket != null ? socket : ControlSettings.DEFAULT_PATH;
        String command = String.join(" ", words).strip();
        boolean watch = command.toLowerCase(Locale.ROOT).startsWith("watch");
        AFUNIXSocket s;
        try {
            s = AFUNIXSocket.connectTo(AFUNIXSocketAddress.of(path));
        } catch (IOException e) {
            err.println("sentinel ctl: no Sentinel answers at " + path + " (" + why(e) + ")." + others(path));
            return 2;
        }
        try (s) {
            if (!watch) {
                s.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            }
            OutputStream o = s.getOutputStream();
            o.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            o.flush();
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null) {
                err.println("sentinel ctl: the Sentinel at " + path + " closed the connection without a reply.");
                return 2;
            }
            // An order on 'all' answers a line per program, some OK and some ERR: each goes where its
            // first word says, the lines after one (a reload's problems, say) with it.
            boolean error = false;
            PrintStream target = out;
            do {
                if (line.startsWith("ERR")) {
                    error = true;
                    target = err;
                } else if (line.startsWith("OK")) {
                    target = out;
                }
                target.println(line);
                target.flush();
            } while ((line = r.readLine()) != null);
            return error ? 1 : 0;
        } catch (SocketTimeoutException e) {
            err.println("sentinel ctl: the Sentinel at " + path + " did not answer within "
                    + Durations.format(timeout) + ".");
            return 2;
        } catch (IOException e) {
            err.println("sentinel ctl: the connection to " + path + " failed: " + e.getMessage() + ".");
            return 2;
        }
    }

    private static String why(IOException e) {
        String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (m.contains("no such file")) {
            return "there is no socket there";
        }
        if (m.contains("refused")) {
            return "connection refused: the socket was left behind by a Sentinel that is gone";
        }
        if (m.contains("permission denied")) {
            return "permission denied: it belongs to another user";
        }
        return e.getMessage();
    }

    /** At the default path, names the per-process sockets of other Sentinels, which is what the user most likely wants. */
    private static String others(Path path) {
        if (!path.equals(ControlSettings.DEFAULT_PATH)) {
            return "";
        }
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(path.getParent(), "sentinel-*.socket")) {
            for (Path p : dir) {
                if (found.size() < 5) {
                    found.add(p.toString());
                }
            }
        } catch (IOException e) {
            return "";
        }
        if (found.isEmpty()) {
            return "";
        }
        return " Other Sentinel sockets: " + String.join(", ", found) + "; pick one with --socket PATH.";
    }
}
