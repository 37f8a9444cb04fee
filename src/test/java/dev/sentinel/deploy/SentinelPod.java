package dev.sentinel.deploy;

import static dev.sentinel.deploy.Rendered.list;
import static dev.sentinel.deploy.Rendered.map;
import static dev.sentinel.deploy.Rendered.words;

import dev.sentinel.settings.Option;
import dev.sentinel.settings.ProgramOptions;
import dev.sentinel.settings.SentinelOptions;
import dev.sentinel.text.ByteSize;
import dev.sentinel.text.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlTable;

/**
 * What Sentinel will do in the rendered pod, read the way Sentinel reads it: from the TOML of the
 * ConfigMap that its {@code --config} names (the entrypoint), or from its command line ({@code
 * attach} in a sidecar), with the declared defaults for what neither says.
 *
 * @param container Sentinel's container (named {@code sentinel})
 * @param sidecar whether it is a native sidecar (an init container with restartPolicy Always)
 * @param apps the pod's other containers, whose processes a sidecar guards
 * @param metricsPort the port Sentinel serves /metrics, /healthz and /readyz on
 * @param shutdownTimeout the ordered stop's budget
 * @param programs each guarded program's (or attached tree's) limit and grace
 * @param toml the config file's text, or null in a sidecar
 */
record SentinelPod(Map<String, Object> container, boolean sidecar, List<Map<String, Object>> apps, int metricsPort,
                   Duration shutdownTimeout, List<Program> programs, String toml) {

    static final String CONTAINER = "sentinel";
    /**
     * The shutdown budget's default until {@code shutdown_timeout} is declared in SentinelOptions
     * (issue #20 is adding it, with this default, to fit Kubernetes' 30 s grace).
     */
    static final Duration SHUTDOWN_TIMEOUT_ANNOUNCED = Duration.ofSeconds(25);

    /** One program's memory limit: a share of the container's ({@code percent}) or bytes; and its grace. */
    record Program(String name, Double percent, long bytes, Duration grace) {
        long bytesOf(long containerLimit) {
            return percent == null ? bytes : (long) (containerLimit * percent / 100);
        }

        String written() {
            return percent == null ? ByteSize.format(bytes) : percent + "%";
        }
    }

    static SentinelPod of(Rendered r) {
        Map<String, Object> spec = r.podSpec();
        Map<String, Object> sentinel = null;
        boolean sidecar = false;
        for (Map<String, Object> c : list(spec, "initContainers")) {
            if (CONTAINER.equals(c.get("name"))) {
                sentinel = c;
                sidecar = "Always".equals(c.get("restartPolicy"));
            }
        }
        List<Map<String, Object>> apps = new ArrayList<>();
        for (Map<String, Object> c : list(spec, "containers")) {
            if (CONTAINER.equals(c.get("name"))) {
                sentinel = c;
            } else {
                apps.add(c);
            }
        }
        if (sentinel == null) {
            throw new AssertionError(r.source() + ": no container named " + CONTAINER);
        }
        List<String> args = new ArrayList<>(words(sentinel, "command"));
        args.addAll(words(sentinel, "args"));
        String config = value(args, "-c", "--config");
        return config == null ? fromArgs(sentinel, sidecar, apps, args)
                : fromToml(r, spec, sentinel, sidecar, apps, config);
    }

    private static SentinelPod fromToml(Rendered r, Map<String, Object> spec, Map<String, Object> sentinel,
                                        boolean sidecar, List<Map<String, Object>> apps, String config) {
        String toml = configFile(r, spec, sentinel, config);
        TomlParseResult t = Toml.parse(toml);
        if (t.hasErrors()) {
            throw new AssertionError(r.source() + ": " + config + " is not TOML: " + t.errors());
        }
        int port = t.contains("sentinel.metrics_port") ? Math.toIntExact(t.getLong("sentinel.metrics_port"))
                : SentinelOptions.METRICS_PORT.defaultValue();
        Duration shutdown = t.contains("sentinel.shutdown_timeout")
                ? duration(t.get("sentinel.shutdown_timeout")) : shutdownTimeoutDefault();
        TomlTable defaults = t.getTable("defaults");
        List<Program> programs = new ArrayList<>();
        TomlTable table = t.getTable("programs");
        if (table != null) {
            for (String name : table.keySet()) {
                TomlTable p = table.getTable(List.of(name));
                Object limit = p.contains("memory_limit") ? p.get("memory_limit")
                        : defaults != null && defaults.contains("memory_limit") ? defaults.get("memory_limit")
                        : ProgramOptions.MEMORY_LIMIT.defaultWord();
                Object grace = p.contains("grace") ? p.get("grace")
                        : defaults != null && defaults.contains("grace") ? defaults.get("grace") : null;
                long instances = p.contains("instances") ? p.getLong("instances") : 1;
                for (long i = 0; i < instances; i++) {
                    programs.add(program(name, String.valueOf(limit),
                            grace == null ? ProgramOptions.GRACE.defaultValue() : duration(grace)));
                }
            }
        }
        return new SentinelPod(sentinel, sidecar, apps, port, shutdown, programs, toml);
    }

    private static SentinelPod fromArgs(Map<String, Object> sentinel, boolean sidecar,
                                        List<Map<String, Object>> apps, List<String> args) {
        String port = value(args, "-p", "--metrics-port");
        String limit = value(args, "-m", "--memory-limit");
        String grace = value(args, "-g", "--grace");
        String shutdown = value(args, "--shutdown-timeout");
        return new SentinelPod(sentinel, sidecar, apps,
                port == null ? SentinelOptions.METRICS_PORT.defaultValue() : Integer.parseInt(port),
                shutdown == null ? shutdownTimeoutDefault() : Durations.parse(shutdown),
                List.of(program("attached", limit == null ? ProgramOptions.MEMORY_LIMIT.defaultWord() : limit,
                        grace == null ? ProgramOptions.GRACE.defaultValue() : Durations.parse(grace))),
                null);
    }

    /** The declared default once the option exists, the announced one until then. */
    static Duration shutdownTimeoutDefault() {
        Option<?> declared = SentinelOptions.byKey("shutdown_timeout");
        return declared != null && declared.defaultValue() instanceof Duration d ? d : SHUTDOWN_TIMEOUT_ANNOUNCED;
    }

    /** The file {@code path} in the ConfigMap volume mounted at its directory. */
    private static String configFile(Rendered r, Map<String, Object> spec, Map<String, Object> container,
                                     String path) {
        int slash = path.lastIndexOf('/');
        String dir = path.substring(0, slash);
        String file = path.substring(slash + 1);
        for (Map<String, Object> mount : list(container, "volumeMounts")) {
            if (!dir.equals(mount.get("mountPath"))) {
                continue;
            }
            for (Map<String, Object> volume : list(spec, "volumes")) {
                if (volume.get("name").equals(mount.get("name"))) {
                    String name = String.valueOf(map(volume, "configMap").get("name"));
                    Map<String, Object> cm = r.configMap(name);
                    if (cm == null) {
                        throw new AssertionError(r.source() + ": the volume " + volume.get("name")
                                + " names the ConfigMap " + name + ", which is not rendered");
                    }
                    Object text = map(cm, "data").get(file);
                    if (text == null) {
                        throw new AssertionError(r.source() + ": the ConfigMap " + name + " has no " + file);
                    }
                    return String.valueOf(text);
                }
            }
        }
        throw new AssertionError(r.source() + ": --config " + path + " but nothing is mounted at " + dir);
    }

    private static final Pattern PERCENT = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*%\\s*");

    static Program program(String name, String limit, Duration grace) {
        Matcher m = PERCENT.matcher(limit);
        if (m.matches()) {
            return new Program(name, Double.parseDouble(m.group(1)), 0, grace);
        }
        return new Program(name, null, ByteSize.parse(limit), grace);
    }

    private static Duration duration(Object written) {
        return written instanceof Number n ? Duration.ofMillis((long) (n.doubleValue() * 1000))
                : Durations.parse(String.valueOf(written));
    }

    /** The value after the first of {@code names} in {@code args} ({@code -m 80%} or {@code --memory-limit=80%}). */
    static String value(List<String> args, String... names) {
        for (int i = 0; i < args.size(); i++) {
            for (String n : names) {
                if (args.get(i).equals(n) && i + 1 < args.size()) {
                    return args.get(i + 1);
                }
                if (n.startsWith("--") && args.get(i).startsWith(n + "=")) {
                    return args.get(i).substring(n.length() + 1);
                }
            }
        }
        return null;
    }

    /** The container's {@code resources.limits.memory} in bytes, or -1 when it has none. */
    static long memoryLimit(Map<String, Object> container) {
        Object q = map(map(container, "resources"), "limits").get("memory");
        return q == null ? -1 : Quantity.bytes(String.valueOf(q));
    }
}
