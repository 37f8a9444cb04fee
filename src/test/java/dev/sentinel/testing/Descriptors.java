package dev.sentinel.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.stream.Stream;

/** A process's open descriptors as /proc shows them, for tests that check nothing leaks. */
public final class Descriptors {

    private Descriptors() {
    }

    /**
     * How many of the descriptors of {@code pid} ({@code "self"} for this JVM) point at a target
     * {@code kept} accepts ({@code socket:[123]}, {@code pipe:[4]}, {@code /dev/null}, a path). A
     * descriptor closed while it is read is not counted.
     */
    public static long count(String pid, Predicate<String> kept) {
        try (Stream<Path> fds = Files.list(Path.of("/proc", pid, "fd"))) {
            return fds.filter(fd -> {
                try {
                    return kept.test(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
