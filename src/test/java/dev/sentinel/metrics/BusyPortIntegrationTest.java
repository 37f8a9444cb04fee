package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A real Sentinel whose metrics port is taken still guards its program to the end. */
class BusyPortIntegrationTest {

    @Test
    void aBusyPortIsOneLineAndTheGuardGoesOn() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            List<String> args = new ArrayList<>(List.of("--no-tui", "--no-socket", "-p", Integer.toString(port),
                    "--metrics-host", "127.0.0.1", "--name", "leaker", "--"));
            args.addAll(JavaPrograms.leaker("--leak", "1", "--after", "1s", "--exit", "7"));
            try (RunningProcess sentinel = RunningProcess.start(JavaPrograms.sentinel(args.toArray(String[]::new)))) {
                assertEquals(7, sentinel.awaitExit(Duration.ofSeconds(60)), "the program's own status: it was guarded");
                sentinel.awaitStderr("sentinel\\[leaker\\]: exited with status 7", Duration.ofSeconds(5));
                List<String> about = sentinel.stderr().stream().filter(l -> l.contains("metrics")).toList();
                assertEquals(List.of("sentinel: metrics port " + port + " is already in use (127.0.0.1:" + port
                        + "); guarding without metrics (pick another port with -p PORT, -p 0 for any free one, "
                        + "or --no-metrics)."), about);
            }
        }
    }
}
