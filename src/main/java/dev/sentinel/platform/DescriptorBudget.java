package dev.sentinel.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many client connections Sentinel's servers (the control socket, the metrics port) may hold,
 * given its open-files limit ({@code ulimit -n}). Each connection is a descriptor, and the guard
 * needs descriptors of its own all the time: /proc and cgroup files for every sample, pipes for a
 * restart, the journal, class files the JVM loads late. Under {@code ulimit -n 256}, a thousand
 * clients used to take the last one, and the supervisor loop died of a class it could not load; so
 * {@value #RESERVED} descriptors are kept for the guard and each server gets a quarter of the rest.
 * With the usual limits (the JVM raises its soft limit to the hard one, tens of thousands) the
 * servers' own bounds are lower and nothing changes.
 *
 * @param openFiles the soft limit on open files, or {@link Long#MAX_VALUE} if unknown
 */
public record DescriptorBudget(long openFiles) {

    /** Descriptors no server connection may take. */
    static final long RESERVED = 128;
    /** Even at a tiny limit a server takes a few clients: {@code status} must still work. */
    static final int AT_LEAST = 8;

    /** This process's budget, from {@code /proc/self/limits}. */
    public static DescriptorBudget of(ProcFs proc) {
        Path limits = proc.root().resolve("self").resolve("limits");
        try {
            for (String line : Files.readAllLines(limits)) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                    return new DescriptorBudget("unlimited".equals(soft) ? Long.MAX_VALUE : Long.parseLong(soft));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unknown: the servers keep their own bounds.
        }
        return new DescriptorBudget(Long.MAX_VALUE);
    }

    /** At most {@code wanted}, and no more than one server's share of the descriptors. */
    public int connections(int wanted) {
        long share = openFiles == Long.MAX_VALUE ? Long.MAX_VALUE : (openFiles - RESERVED) / 4;
        return (int) Math.max(Math.min(AT_LEAST, wanted), Math.min(wanted, share));
    }
}
