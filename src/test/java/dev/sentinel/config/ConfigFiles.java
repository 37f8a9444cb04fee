package dev.sentinel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sentinel.settings.ProgramSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Writes a config file into a test's directory and loads it. */
final class ConfigFiles {

    private final Path dir;

    ConfigFiles(Path dir) {
        this.dir = dir;
    }

    Path write(String text) {
        return write("sentinel.toml", text);
    }

    Path write(String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SentinelConfig load(String text) {
        return load(text, Map.of());
    }

    SentinelConfig load(String text, Map<String, String> environment) {
        try {
            return ConfigLoader.load(write(text), environment);
        } catch (ConfigException e) {
            throw new AssertionError("expected the file to load, got: " + e.problems(), e);
        }
    }

    ProgramSettings program(String text) {
        return program(text, Map.of());
    }

    /** The one program of a file. */
    ProgramSettings program(String text, Map<String, String> environment) {
        List<ProgramSettings> programs = load(text, environment).programs();
        assertEquals(1, programs.size(), programs.toString());
        return programs.get(0);
    }

    List<ConfigProblem> problems(String text) {
        return problems(text, Map.of());
    }

    /** Every problem of a file that must not load (and the exception carries them all). */
    List<ConfigProblem> problems(String text, Map<String, String> environment) {
        Path file = write(text);
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file, environment));
        assertEquals(e.problems(), ConfigLoader.check(file, environment));
        assertEquals(e.problems().get(0).toString(), e.getMessage());
        return e.problems();
    }

    /** The only problem of a file. */
    ConfigProblem problem(String text) {
        return problem(text, Map.of());
    }

    ConfigProblem problem(String text, Map<String, String> environment) {
        List<ConfigProblem> all = problems(text, environment);
        assertEquals(1, all.size(), () -> "expected one problem, got:\n" + String.join("\n",
                all.stream().map(ConfigProblem::toString).toList()));
        return all.get(0);
    }
}
