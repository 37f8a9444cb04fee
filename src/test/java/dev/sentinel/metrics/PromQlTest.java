package dev.sentinel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromQlTest {

    @Test
    void addsBoolToTopLevelComparisonsOnly() {
        assertEquals("a / b > bool 0.9", PromQl.withBool("a / b > 0.9"));
        assertEquals("up{job=\"x\"} == bool 0", PromQl.withBool("up{job=\"x\"} == 0"));
        assertEquals("changes(x[15m]) >= bool 3", PromQl.withBool("changes(x[15m]) >= 3"));
        assertEquals("a != bool b", PromQl.withBool("a != b"));
        assertEquals("sum by (a) (rate(x{y=~\"z\",w!=\"v\"}[1m])) > bool 0",
                PromQl.withBool("sum by (a) (rate(x{y=~\"z\",w!=\"v\"}[1m])) > 0"));
        assertEquals("rate(x[1m])", PromQl.withBool("rate(x[1m])"));
        assertEquals("a > bool 1", PromQl.withBool("a > bool 1"));
        assertEquals("x{a=\"> 1\"}", PromQl.withBool("x{a=\"> 1\"}"));
    }

    @Test
    void substitutesGrafanaVariables() {
        Map<String, String> vars = Map.of("__rate_interval", "1m", "name", ".+");
        assertEquals("rate(x{name=~\".+\"}[1m])", PromQl.substitute("rate(x{name=~\"$name\"}[$__rate_interval])", vars));
        assertEquals("x{name=~\".+\"}", PromQl.substitute("x{name=~\"${name}\"}", vars));
        assertThrows(AssertionError.class, () -> PromQl.substitute("x{a=\"$other\"}", vars));
    }
}
