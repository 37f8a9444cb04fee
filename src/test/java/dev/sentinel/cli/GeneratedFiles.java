package dev.sentinel.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The files generated from the command models and committed: the man page and the completion script. */
final class GeneratedFiles {

    /** Rewrites every generated file from the code; GeneratedFilesTest says so when one is out of date. */
    static final String REGENERATE = "mvn -q -Dtest=GeneratedFilesTest -Dsentinel.regenerate=true test";

    private GeneratedFiles() {
    }

    /** Each file's path in the repository at {@code repo}, with what it should hold. */
    static Map<String, String> render(Path repo) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(ManPage.PATH, ManPage.render(repo));
        files.put(CompletionScript.PATH, CompletionScript.render());
        return files;
    }
}
