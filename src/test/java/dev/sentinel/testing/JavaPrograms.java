package dev.sentinel.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Command lines for the Java programs tests start: Sentinel itself and the leaker. */
public final class JavaPrograms {

    /** Flags that keep test JVMs small and quick to start, like bin/sentinel's. */
    public static final List<String> SMALL_JVM =
            List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

    private JavaPrograms() {
    }

    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** {@code java ... dev.sentinel.cli.Main ARGS}, with this test run's class path. */
    public static List<String> sentinel(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(SMALL_JVM);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.sentinel.cli.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code java -cp TEST_CLASSES Leaker ARGS}: the leaker from tests/leaker, compiled by Maven. */
    public static List<String> leaker(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java());
        cmd.addAll(SMALL_JVM.subList(0, 1));
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(leakerClassDir().toString());
        cmd.add("Leaker");
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static Path leakerClassDir() {
        URL url = ClassLoader.getSystemResource("Leaker.class");
        if (url == null) {
            throw new IllegalStateException("Leaker.class is not on the test class path (tests/leaker is a test source root)");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The repository root (set by Surefire), for bin/sentinel and the files at the top level. */
    public static Path repo() {
        return Path.of(System.getProperty("sentinel.repo", ".")).toAbsolutePath().normalize();
    }
}
