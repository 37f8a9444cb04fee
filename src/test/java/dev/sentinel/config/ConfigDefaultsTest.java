package dev.sentinel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentinel.text.Durations;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.RestartPolicy;
import java.lang.reflect.Method;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A program in a file gets the command line's defaults (bar the restart policy), so the two
 * cannot drift apart: this reads the defaults the CLI declares (its spec is package-private).
 */
class ConfigDefaultsTest {

    private static String cliDefault(String option) throws Exception {
        Class<?> command = Class.forName("dev.sentinel.cli.SentinelCommand");
        Method spec = command.getDeclaredMethod("spec");
        spec.setAccessible(true);
        OptionSpec o = ((CommandSpec) spec.invoke(null)).findOption(option);
        assertNotNull(o, option);
        String value = o.defaultValue();
        // "${env:SENTINEL_GRACE:-3s}" when shown raw; "3s" once picocli interpolated it.
        int dash = value.indexOf(":-");
        return dash >= 0 ? value.substring(dash + 2, value.lastIndexOf('}')) : value;
    }

    private static void assumeNoEnvironmentOverride(String variable) {
        assumeTrue(System.getenv(variable) == null, variable + " is set and changes the CLI's default");
    }

    @Test
    void theFileDefaultsAreTheCommandLinesDefaults() throws Exception {
        for (String v : new String[] {"SENTINEL_MEMORY_LIMIT", "SENTINEL_GRACE", "SENTINEL_INTERVAL",
            "SENTINEL_TOLERATE", "SENTINEL_RESTART_DELAY", "SENTINEL_RESTART_DELAY_MAX", "SENTINEL_STABLE_AFTER",
            "SENTINEL_MAX_RESTARTS", "SENTINEL_RESTART"}) {
            assumeNoEnvironmentOverride(v);
        }
        assertEquals(ConfigDefaults.MEMORY_LIMIT, MemoryLimit.parse(cliDefault("--memory-limit")));
        assertEquals(ConfigDefaults.GRACE, Durations.parse(cliDefault("--grace")));
        assertEquals(ConfigDefaults.INTERVAL, Durations.parse(cliDefault("--interval")));
        assertEquals(ConfigDefaults.TOLERATE, Durations.parse(cliDefault("--tolerate")));
        assertEquals(ConfigDefaults.RESTART_DELAY, Durations.parse(cliDefault("--restart-delay")));
        assertEquals(ConfigDefaults.RESTART_DELAY_MAX, Durations.parse(cliDefault("--restart-delay-max")));
        assertEquals(ConfigDefaults.STABLE_AFTER, Durations.parse(cliDefault("--stable-after")));
        assertEquals(ConfigDefaults.MAX_RESTARTS, Integer.parseInt(cliDefault("--max-restarts")));
        // The one difference, on purpose: a file describes programs to keep up.
        assertEquals(RestartPolicy.NEVER, RestartPolicy.parse(cliDefault("--restart")));
        assertEquals(RestartPolicy.ON_FAILURE, ConfigDefaults.RESTART);
    }

    @Test
    void theDocumentedDefaultsHoldTheirValues() {
        assertEquals(MemoryLimit.parse("512M"), ConfigDefaults.MEMORY_LIMIT);
        assertEquals(Duration.ofSeconds(3), ConfigDefaults.GRACE);
        assertEquals(Duration.ofMillis(250), ConfigDefaults.INTERVAL);
    }
}
