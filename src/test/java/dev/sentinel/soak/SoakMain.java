package dev.sentinel.soak;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bench/soak's driver: {@code java -cp CLASSES dev.sentinel.soak.SoakMain sentinel=LAUNCHER leaker=LEAKER
 * dir=TMP out=REPORT.md seconds=600 [programs=50] [clients=20] [about.KEY=TEXT ...]}. Prints the report,
 * writes it to {@code out}, and exits 1 when a check failed.
 */
public final class SoakMain {

    private SoakMain() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        Map<String, String> about = new LinkedHashMap<>();
        for (String s : argv) {
            int eq = s.indexOf('=');
            if (eq < 1) {
                System.err.println("soak: expected key=value, got '" + s + "'");
                System.exit(2);
            }
            if (s.startsWith("about.")) {
                about.put(s.substring(6, eq), s.substring(eq + 1));
            } else {
                a.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        SoakPlan full = SoakPlan.full(Duration.ofSeconds(Long.parseLong(a.getOrDefault("seconds", "600"))));
        SoakPlan plan = new SoakPlan(full.duration(), Integer.parseInt(a.getOrDefault("programs", "" + full.programs())),
                Integer.parseInt(a.getOrDefault("clients", "" + full.clientsPerSecond())), full.reloadEvery(),
                full.sampleEvery(), full.duration().compareTo(Duration.ofMinutes(4)) < 0
                        ? full.duration().dividedBy(4) : full.window(), full.limitMib(), full.leakMibPerSecond());
        Path dir = Path.of(a.get("dir"));
        Files.createDirectories(dir);
        SoakRun.Record record = new SoakRun(List.of(a.get("sentinel")), List.of(a.get("leaker")), dir, plan,
                System.err::println).run();
        SoakVerdict verdict = new SoakVerdict(record);
        String report = verdict.markdown("Soak (bench/soak)", about);
        System.out.print(report);
        if (a.containsKey("out")) {
            Files.writeString(Path.of(a.get("out")), report);
        }
        System.err.println(verdict.failures().isEmpty() ? "soak: every check passed"
                : "soak: " + verdict.failures().size() + " checks failed");
        System.exit(verdict.failures().isEmpty() ? 0 : 1);
    }
}
