package dev.sentinel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The TOML library (and its ANTLR runtime) costs start-up time and memory, so a run without a
 * config file must never load it: only TomlReader names it, and TomlReader is reached only from
 * ConfigLoader.load.
 */
class TomlIsolationTest {

    @Test
    void onlyTomlReaderNamesTheTomlLibrary() throws Exception {
        Path classes = Path.of(ConfigLoader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> naming;
        try (Stream<Path> all = Files.walk(classes)) {
            naming = all.filter(p -> p.toString().endsWith(".class"))
                    .filter(TomlIsolationTest::namesTheLibrary)
                    .map(p -> classes.relativize(p).toString())
                    .sorted()
                    .toList();
        }
        assertEquals(List.of("dev/sentinel/config/TomlReader.class"), naming);
    }

    private static boolean namesTheLibrary(Path classFile) {
        try {
            // Class names are plain ASCII in the constant pool.
            String bytes = new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1);
            return bytes.contains("org/tomlj/") || bytes.contains("org/antlr/");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
