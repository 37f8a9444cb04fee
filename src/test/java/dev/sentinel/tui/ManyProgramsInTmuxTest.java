package dev.sentinel.tui;

import static dev.sentinel.tui.TmuxDashboard.assertRestored;
import static dev.sentinel.tui.TmuxDashboard.awaitExit;
import static dev.sentinel.tui.TmuxDashboard.awaitScreen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentinel.testing.JavaPrograms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard of a config file with several programs, in a real terminal (tmux): one row per
 * program, the header counting them, the selection moving the output pane to another program, and
 * {@code q} stopping everything in order and restoring the terminal.
 */
class ManyProgramsInTmuxTest {

    @TempDir
    Path dir;

    private TmuxDashboard dashboard;

    @BeforeAll
    static void needsTmux() {
        assumeTrue(Tmux.available(), "tmux is not installed (.ci/run installs it)");
    }

    @BeforeEach
    void prepare() {
        dashboard = new TmuxDashboard(dir);
    }

    @AfterEach
    void killLeftovers() {
        dashboard.close();
    }

    /** A shell that records its pid where the tmux helper looks, then prints WORD every 200 ms. */
    private String ticker(String word) {
        return "[\"sh\", \"-c\", \"echo $$$$ >> " + dashboard.pidFile + "; while :; do echo " + word
                + "; sleep 0.2; done\"]";
    }

    @Test
    void rowsPerProgramTheSelectionMovesTheOutputPaneAndQStopsAll() throws IOException {
        StringBuilder leaker = new StringBuilder("[");
        for (String w : JavaPrograms.leaker("--leak", "1", "--report", "1s", "--pid-file", dashboard.pidFile.toString())) {
            leaker.append(leaker.length() == 1 ? "" : ", ").append('"').append(w).append('"');
        }
        leaker.append(']');
        Path file = dir.resolve("sentinel.toml");
        Files.writeString(file, "[sentinel]\nsocket = false\nmetrics = false\n\n"
                + "[programs.leaker]\ncommand = " + leaker + "\nmemory_limit = \"300M\"\n\n"
                + "[programs.alpha]\ncommand = " + ticker("alpha-tick") + "\n\n"
                + "[programs.beta]\ncommand = " + ticker("beta-tick") + "\n");
        try (Tmux tmux = new Tmux(dir).start(dir, 120, 40, List.of(),
                JavaPrograms.sentinel("--config", file.toString()))) {
            awaitScreen(tmux, "a row per program and the header counting three running",
                    s -> s.contains("3 programs") && s.contains("3 running") && s.contains("leaker")
                            && s.contains("alpha") && s.contains("beta"));
            awaitScreen(tmux, "the first program's output (the leaker's report)", s -> s.contains("leaker pid="));
            tmux.sendKeys("Down");
            awaitScreen(tmux, "alpha selected: its output in the pane", s -> s.contains("alpha-tick"));
            tmux.sendKeys("Down");
            awaitScreen(tmux, "beta selected: its output in the pane", s -> s.contains("beta-tick"));
            tmux.sendKeys("q");
            assertEquals(0, awaitExit(tmux), "q is an ordered shutdown: 0");
            assertRestored(tmux);
            dashboard.assertTreeGone();
        }
    }
}
