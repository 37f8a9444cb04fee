package dev.sentinel.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The soak's config file. Programs {@code churn-01..N} each run {@code sleep} for 1 to 5 s and
 * restart always after 1 s (a fixed delay: {@code restart_delay_max} equals it, and no streak gives
 * up); {@code leaker} leaks until it crosses its limit, is stopped, and starts again; {@code reloaded}
 * sleeps and carries {@code SOAK_GENERATION} in its environment, which every reload changes, so
 * that each reload really restarts one program.
 */
final class SoakConfig {

    static final String LEAKER = "leaker";
    static final String RELOADED = "reloaded";

    private final Path file;
    private final Path socket;
    private final Path journal;
    private final SoakPlan plan;
    private final List<String> leaker;

    /**
     * @param leaker the leaker's command without its options (tests/leaker/leaker, or a java command line)
     * @param termFile where the leaker appends its SIGTERM stamps
     */
    SoakConfig(Path dir, SoakPlan plan, List<String> leaker, Path termFile) {
        this.file = dir.resolve("soak.toml");
        this.socket = dir.resolve("soak.sock");
        this.journal = dir.resolve("soak.journal");
        this.plan = plan;
        this.leaker = new java.util.ArrayList<>(leaker);
        this.leaker.addAll(List.of("--leak", String.format(Locale.ROOT, "%.2f", plan.leakMibPerSecond()),
                // Small chunks: the tree's RSS grows smoothly, so the overshoot at detection is Sentinel's, not the chunk's.
                "--chunk", "64K", "--term-file", termFile.toString()));
    }

    Path file() {
        return file;
    }

    Path socket() {
        return socket;
    }

    Path journal() {
        return journal;
    }

    static String churnName(int i) {
        return String.format(Locale.ROOT, "churn-%02d", i);
    }

    /** Seconds program {@code i} (1-based) sleeps before it exits: 1 to 5, in steps of 0.5. */
    static double churnSeconds(int i) {
        return 1 + ((i * 7) % 9) * 0.5;
    }

    /** (Re)writes the file for reload generation {@code generation}. */
    void write(int generation) throws IOException {
        StringBuilder b = new StringBuilder();
        b.append("# The soak's config (src/test/java/dev/sentinel/soak), generation ").append(generation).append('\n');
        b.append("[sentinel]\n");
        b.append("socket = ").append(quote(socket.toString())).append('\n');
        b.append("metrics = true\nmetrics_port = 0\nmetrics_host = \"127.0.0.1\"\n");
        b.append("journal = ").append(quote(journal.toString())).append('\n');
        b.append("tui = \"never\"\nkeep_running = true\n\n");
        b.append("[defaults]\nmemory_limit = \"100M\"\noutput = \"discard\"\nrestart = \"always\"\n");
        b.append("restart_delay = \"1s\"\nrestart_delay_max = \"1s\"\nstable_after = \"60s\"\nmax_restarts = 0\n\n");
        for (int i = 1; i <= plan.programs(); i++) {
            b.append("[programs.").append(churnName(i)).append("]\n");
            b.append("command = [\"sleep\", \"").append(churnSeconds(i)).append("\"]\n\n");
        }
        b.append("[programs.").append(LEAKER).append("]\ncommand = [");
        for (int i = 0; i < leaker.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(quote(leaker.get(i)));
        }
        b.append("]\nmemory_limit = \"").append(plan.limitMib()).append("M\"\n\n");
        b.append("[programs.").append(RELOADED).append("]\ncommand = [\"sleep\", \"100000\"]\n");
        b.append("env = { SOAK_GENERATION = \"").append(generation).append("\" }\n");
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.writeString(tmp, b.toString());
        // Renamed into place: a reload never reads a half-written file.
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
