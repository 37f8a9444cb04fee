package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed man page and completion script are what the code generates today: a changed option,
 * help text or exit-status table fails here until they are regenerated, with the command that does
 * it ({@code -Dsentinel.regenerate=true} writes them instead of comparing).
 */
class GeneratedFilesTest {

    private static final Path REPO = Path.of(System.getProperty("sentinel.repo", "."));

    @Test
    void committedFilesAreWhatTheModelsGenerate() throws IOException {
        boolean regenerate = Boolean.getBoolean("sentinel.regenerate");
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> file : GeneratedFiles.render(REPO).entrySet()) {
            Path path = REPO.resolve(file.getKey());
            String committed = Files.exists(path) ? Files.readString(path) : null;
            if (file.getValue().equals(committed)) {
                continue;
            }
            if (regenerate) {
                Files.writeString(path, file.getValue());
                System.out.println("regenerated " + file.getKey());
            } else {
                stale.add(file.getKey() + ": " + firstDifference(committed, file.getValue()));
            }
        }
        assertEquals(List.of(), stale, "generated files are out of date; regenerate them from the repository root "
                + "with: " + GeneratedFiles.REGENERATE);
    }

    private static String firstDifference(String committed, String generated) {
        if (committed == null) {
            return "missing";
        }
        List<String> a = committed.lines().toList();
        List<String> b = generated.lines().toList();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String was = i < a.size() ? a.get(i) : "(end of file)";
            String is = i < b.size() ? b.get(i) : "(end of file)";
            if (!was.equals(is)) {
                return "line " + (i + 1) + " is '" + was + "', the code gives '" + is + "'";
            }
        }
        return "differs in its line endings";
    }
}
