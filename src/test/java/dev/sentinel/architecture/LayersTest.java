package dev.sentinel.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages are layers: each may use only the packages below it. Read from the sources (the
 * imports and any fully-qualified name), so a new dependency that reaches up fails here, with the
 * file that made it.
 *
 * <pre>
 *   cli                                   wiring of a run: may use everything
 *   config  control  metrics  tui         the edges: a file, a socket, HTTP, a terminal
 *                                         (config only over settings: no platform, no core)
 *   core                                  the supervisor loop, orders, snapshots
 *   core.program                          one program's state machine and its parts
 *   output                                where programs' output goes
 *   settings                              what users set: values and the option table
 *   events                                lifecycle events, their JSON, the journal
 *   platform  platform.cgroup             Linux: /proc, signals, libc, cgroups;
 *   platform.health                       checks (http, tcp, exec) and sd_notify sockets
 *   text  time                            sizes, durations, JSON text; clocks and time stamps
 * </pre>
 */
class LayersTest {

    private static final Path MAIN = Path.of(System.getProperty("sentinel.repo", "."), "src/main/java");

    private static final Set<String> BOTTOM = Set.of("text", "time");
    private static final Set<String> PLATFORM = union(BOTTOM, Set.of("platform", "platform.cgroup",
            "platform.health"));
    private static final Set<String> EVENTS = union(PLATFORM, Set.of("events"));
    private static final Set<String> SETTINGS = union(EVENTS, Set.of("settings"));
    private static final Set<String> PROGRAM = union(SETTINGS, Set.of("output", "core.program"));
    private static final Set<String> CORE = union(PROGRAM, Set.of("core"));

    /** What each package may use besides itself. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("text", Set.of()),
            Map.entry("time", Set.of()),
            Map.entry("platform", BOTTOM),
            Map.entry("platform.cgroup", union(BOTTOM, Set.of("platform"))),
            Map.entry("platform.health", union(BOTTOM, Set.of("platform"))),
            Map.entry("events", PLATFORM),
            Map.entry("settings", EVENTS),
            Map.entry("output", SETTINGS),
            Map.entry("core.program", SETTINGS),
            Map.entry("core", PROGRAM),
            // The file's keys and values come from the option table: config needs no platform code of its own.
            Map.entry("config", Set.of("text", "time", "events", "settings")),
            Map.entry("control", CORE),
            Map.entry("metrics", CORE),
            Map.entry("tui", CORE),
            Map.entry("cli", union(CORE, Set.of("config", "control", "metrics", "tui"))));

    private static final Pattern PACKAGE = Pattern.compile("^package dev\\.sentinel\\.([\\w.]+);", Pattern.MULTILINE);
    private static final Pattern USE = Pattern.compile("\\bdev\\.sentinel\\.((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.[A-Z]");

    @Test
    void noPackageReachesUp() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String text = Files.readString(f);
                Matcher pm = PACKAGE.matcher(text);
                assertTrue(pm.find(), "no package line in " + f);
                String pkg = pm.group(1);
                seen.add(pkg);
                Set<String> allowed = ALLOWED.get(pkg);
                if (allowed == null) {
                    violations.add(pkg + " (" + MAIN.relativize(f) + ") is a package this test does not know: "
                            + "give it a layer");
                    continue;
                }
                Matcher use = USE.matcher(text.substring(pm.end()));
                while (use.find()) {
                    String used = use.group(1);
                    if (!used.equals(pkg) && !allowed.contains(used)) {
                        violations.add(MAIN.relativize(f) + " uses dev.sentinel." + used + ", above " + pkg);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
        assertEquals(new TreeSet<>(ALLOWED.keySet()), seen, "every layer has code, and every package a layer");
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
