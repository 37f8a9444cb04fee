package dev.sentinel.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.RestartPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** examples/sentinel.toml, the file the README points newcomers to, loads and runs what it says. */
class ExampleConfigTest {

    private static final Path REPO = Path.of(System.getProperty("sentinel.repo", ".")).toAbsolutePath().normalize();

    @Test
    void theExampleLoadsWithItsFourPrograms() throws ConfigException {
        SentinelConfig config = ConfigLoader.load(REPO.resolve("examples/sentinel.toml"), Map.of());
        assertEquals(List.of("leaker", "web", "ticker-1", "ticker-2"),
                config.programs().stream().map(ProgramSettings::name).toList());
    }

    @Test
    void theLeakerHasALimitItCrossesAndRestartsOnFailure() throws ConfigException {
        ProgramSettings leaker = ConfigLoader.load(REPO.resolve("examples/sentinel.toml"), Map.of()).programs().get(0);
        assertEquals(MemoryLimit.parse("200M"), leaker.limit());
        assertEquals(RestartPolicy.ON_FAILURE, leaker.restart().policy());
        assertTrue(leaker.command().contains("--leak"), leaker.command().toString());
        // Its program is named relative to the repository, where [defaults] cwd puts every program.
        assertEquals(REPO, leaker.cwd());
        assertTrue(Files.isExecutable(leaker.cwd().resolve(leaker.command().get(0))));
    }

    @Test
    void theWebPortComesFromTheEnvironmentWhenSet() throws ConfigException {
        ProgramSettings web = ConfigLoader.load(REPO.resolve("examples/sentinel.toml"), Map.of("WEB_PORT", "9090"))
                .programs().get(1);
        assertTrue(web.command().contains("9090"), web.command().toString());
    }

    @Test
    void theWebAndDbExampleStartsWebAfterDbAndMakesWebEssential() throws ConfigException {
        SentinelConfig config = ConfigLoader.load(REPO.resolve("examples/web-and-db.toml"), Map.of());
        ProgramSettings db = config.programs().get(0);
        ProgramSettings web = config.programs().get(1);
        assertEquals("tcp 127.0.0.1:15432", db.health().check().describe());
        assertEquals(List.of("db"), web.requires());
        assertTrue(web.essential());
        assertEquals("http 127.0.0.1:18080".replace(" ", " http://") + "/", web.health().check().describe());
    }
}
