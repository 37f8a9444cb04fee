package dev.sentinel.deploy;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Kubernetes resource quantity of memory ({@code 512Mi}, {@code 1G}, {@code 268435456}) in bytes. */
final class Quantity {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?");
    private static final Map<String, Long> FACTOR = Map.ofEntries(
            Map.entry("", 1L), Map.entry("Ki", 1L << 10), Map.entry("Mi", 1L << 20), Map.entry("Gi", 1L << 30),
            Map.entry("Ti", 1L << 40), Map.entry("Pi", 1L << 50), Map.entry("Ei", 1L << 60),
            Map.entry("k", 1_000L), Map.entry("M", 1_000_000L), Map.entry("G", 1_000_000_000L),
            Map.entry("T", 1_000_000_000_000L), Map.entry("P", 1_000_000_000_000_000L),
            Map.entry("E", 1_000_000_000_000_000_000L));

    private Quantity() {
    }

    static long bytes(String quantity) {
        Matcher m = FORM.matcher(quantity.trim());
        if (!m.matches()) {
            throw new AssertionError("'" + quantity + "' is not a memory quantity these tests read (like 512Mi)");
        }
        String suffix = m.group(2) == null ? "" : m.group(2);
        return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(FACTOR.get(suffix))).longValue();
    }
}
