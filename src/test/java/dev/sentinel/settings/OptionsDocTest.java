package dev.sentinel.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/options.md's table of every option is generated from the option table. When an option
 * changes, this fails until the docs are regenerated:
 * {@code mvn -q -Dtest=OptionsDocTest -Dsentinel.regenerate=true test} rewrites the block
 * between the markers (and passes); review the diff and commit it with the change.
 */
class OptionsDocTest {

    private static final Path DOC = Path.of(System.getProperty("sentinel.repo", "."), "docs/options.md");
    private static final String REGENERATE = "mvn -q -Dtest=OptionsDocTest -Dsentinel.regenerate=true test";

    @Test
    void theOptionsTableOfTheDocsIsTheOptionTables() throws Exception {
        String text = Files.readString(DOC, StandardCharsets.UTF_8);
        int begin = text.indexOf(OptionsDoc.BEGIN);
        int end = text.indexOf(OptionsDoc.END);
        assertTrue(begin >= 0 && end > begin, DOC + " has no " + OptionsDoc.BEGIN + " ... " + OptionsDoc.END + " block");
        int from = begin + OptionsDoc.BEGIN.length() + 1;
        String generated = OptionsDoc.table();
        if (Boolean.getBoolean("sentinel.regenerate")) {
            Files.writeString(DOC, text.substring(0, from) + generated + text.substring(end), StandardCharsets.UTF_8);
            return;
        }
        assertEquals(generated, text.substring(from, end), DOC + " differs from the option table "
                + "(settings/ProgramOptions, settings/SentinelOptions); regenerate it with: " + REGENERATE);
    }
}
