package dev.sentinel.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sentinel.testing.Await;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A real Prometheus (Debian package {@code prometheus}) run by a test: the project's
 * prometheus.yml and rule files, with the scrape and evaluation intervals cut to one second, its
 * file-based discovery pointed at a targets file the test writes, and its {@code alerting:} block
 * pointed at the test's Alertmanager (or removed). Listens on a free loopback port; closing it
 * kills it.
 */
final class FleetPrometheus implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path targetsFile;
    private final RunningProcess process;
    private final String url;

    private FleetPrometheus(Path targetsFile, RunningProcess process, String url) {
        this.targetsFile = targetsFile;
        this.process = process;
        this.url = url;
    }

    /**
     * Starts Prometheus on {@code targets} (host:port, each with the label env=test) and waits
     * until it is ready. {@code alertmanager} is host:port, or null for no Alertmanager.
     */
    static FleetPrometheus start(Path binary, Path tmp, List<String> targets, String alertmanager) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("prometheus"));
        Path targetsDir = Files.createDirectories(dir.resolve("targets"));
        Path targetsFile = targetsDir.resolve("sentinels.json");
        writeTargets(targetsFile, targets);
        Path config = writeConfig(dir.resolve("prometheus.yml"), targetsDir, alertmanager);
        int port = freePort();
        String url = "http://127.0.0.1:" + port;
        RunningProcess p = RunningProcess.start(List.of(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn"));
        FleetPrometheus prom = new FleetPrometheus(targetsFile, p, url);
        try {
            Await.until(Duration.ofSeconds(60), () -> "Prometheus ready; its stderr:\n" + String.join("\n", p.stderr()),
                    () -> answers(url + "/-/ready"));
        } catch (RuntimeException | Error e) {
            prom.close();
            throw e;
        }
        return prom;
    }

    /**
     * The project's prometheus.yml with one-second intervals, absolute rule paths, discovery over
     * {@code targetsDir/*.json} and the test's Alertmanager.
     */
    private static Path writeConfig(Path file, Path targetsDir, String alertmanager) throws IOException {
        Map<String, Object> config = StackFiles.yaml(StackFiles.PROMETHEUS_YML);
        Map<String, Object> global = StackFiles.at(config, "global");
        global.put("scrape_interval", "1s");
        global.put("evaluation_interval", "1s");
        // Relative to the project's file, as Prometheus resolves them.
        config.put("rule_files", StackFiles.ruleFiles().stream().map(Path::toString).toList());
        List<Map<String, Object>> jobs = StackFiles.at(config, "scrape_configs");
        if (jobs.size() != 1) {
            throw new AssertionError("one scrape job expected: " + jobs);
        }
        Map<String, Object> job = jobs.get(0);
        job.put("scrape_interval", "1s");
        List<Map<String, Object>> sd = StackFiles.at(job, "file_sd_configs");
        if (sd.size() != 1) {
            throw new AssertionError("one file_sd_config expected: " + sd);
        }
        sd.get(0).put("files", List.of(targetsDir.resolve("*.json").toString()));
        if (alertmanager == null) {
            config.remove("alerting");
        } else {
            List<Map<String, Object>> ams = StackFiles.at(config, "alerting", "alertmanagers");
            List<Map<String, Object>> statics = StackFiles.at(ams.get(0), "static_configs");
            statics.get(0).put("targets", List.of(alertmanager));
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Files.writeString(file, new Yaml(options).dump(config));
        return file;
    }

    /** Replaces the discovered targets (atomically, as file_sd wants): Prometheus sees them without a restart. */
    void setTargets(List<String> targets) throws IOException {
        writeTargets(targetsFile, targets);
    }

    private static void writeTargets(Path file, List<String> targets) throws IOException {
        ArrayNode groups = JSON.createArrayNode();
        ObjectNode group = groups.addObject();
        ArrayNode list = group.putArray("targets");
        targets.forEach(list::add);
        group.putObject("labels").put("env", "test");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(groups));
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    String url() {
        return url;
    }

    List<String> stderr() {
        return process.stderr();
    }

    /** The result vector of an instant query; fails on a query error (a bad expression). */
    JsonNode instant(String expr) {
        JsonNode answer = query("/api/v1/query?query=" + Http.encode(expr));
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError("query failed: " + expr + ": " + answer);
        }
        return answer.at("/data/result");
    }

    JsonNode query(String path) {
        try {
            return JSON.readTree(Http.get(url + path));
        } catch (IOException e) {
            throw new UncheckedIOException(url + path, e);
        }
    }

    /** The scrape URLs of the targets that are up ({@code health} "up" in /api/v1/targets). */
    List<String> healthyTargets() {
        JsonNode active = query("/api/v1/targets?state=active").at("/data/activeTargets");
        return java.util.stream.StreamSupport.stream(active.spliterator(), false)
                .filter(t -> "up".equals(t.path("health").asText()))
                .map(t -> t.at("/labels/instance").asText()).sorted().toList();
    }

    @Override
    public void close() {
        process.close();
    }

    static boolean answers(String url) {
        try {
            Http.get(url);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free right now on the loopback (Prometheus cannot report a port it picked itself). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
