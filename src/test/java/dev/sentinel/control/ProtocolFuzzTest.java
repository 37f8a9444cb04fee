package dev.sentinel.control;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the socket protocol's parser (Jazzer): any line, with or without
 * program names known, is a command or an {@code Invalid} with its sentence — never an exception.
 */
class ProtocolFuzzTest {

    private static final ProgramNames NAMES = new ProgramNames(java.util.List.of("web", "db-1", "a.b"), false, "sentinel");

    @FuzzTest(maxDuration = "2m")
    void anyLineIsACommandOrASentence(FuzzedDataProvider data) {
        boolean named = data.consumeBoolean();
        String line = data.consumeRemainingAsString();
        Command c = CommandParser.parse(line, named ? NAMES : ProgramNames.NONE);
        if (c == null) {
            throw new AssertionError("no command for: " + line);
        }
        if (c instanceof Command.Invalid invalid && (invalid.reason().isBlank() || invalid.reason().contains("\n"))) {
            throw new AssertionError("not one sentence: '" + invalid.reason() + "' for " + line);
        }
    }
}
