package dev.sentinel.config;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.util.Map;

/**
 * Coverage-guided fuzzing of the config file's reader (Jazzer): any text, through the TOML reader
 * and the document's validation, loads or gives problems of one line each — never an exception.
 * Under {@code mvn verify} this replays the inputs kept beside it (regression mode); {@code
 * JAZZER_FUZZ=1} searches for new ones (docs/robustness.md).
 */
class ConfigTextFuzzTest {

    private static final Path FILE = Path.of("/fuzz/sentinel.toml");

    @FuzzTest(maxDuration = "2m")
    void anyTextLoadsOrSaysWhereItIsWrong(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        Problems problems = new Problems(FILE);
        ConfigNode.Table root = TomlReader.read(text, problems);
        SentinelConfig config = root == null ? null : new DocumentReader(FILE, Map.of(), problems).read(root);
        if (problems.isEmpty()) {
            if (config == null) {
                throw new AssertionError("neither a config nor a problem for: " + text);
            }
            return;
        }
        for (ConfigProblem p : problems.exception().problems()) {
            String shown = p.toString();
            if (!shown.startsWith(FILE.toString()) || shown.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new AssertionError("not one line naming the file: " + shown);
            }
        }
    }
}
