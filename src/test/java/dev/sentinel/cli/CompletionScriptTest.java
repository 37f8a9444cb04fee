package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/sentinel-completion.bash in a real bash: it parses, registers itself for {@code sentinel}, and
 * completes what a user types, driven as bash drives it (COMP_WORDS and COMP_CWORD, then the
 * function that {@code complete -p} names).
 */
class CompletionScriptTest {

    private static final Path SCRIPT = Path.of(System.getProperty("sentinel.repo", "."), CompletionScript.PATH);

    /** What is typed before TAB (the last word is the one completed), and the completions, one per line. */
    private static final Map<String, List<String>> COMPLETED = new LinkedHashMap<>();

    @TempDir
    static Path dir;

    @BeforeAll
    static void completeInBash() throws Exception {
        assumeTrue(ToolRun.installed("bash"), "bash is not installed");
        Files.createFile(dir.resolve("example.toml"));
        Files.createFile(dir.resolve("leaker"));
        List<String> typed = List.of(
                "sentinel --mem", "sentinel ch", "sentinel ct", "sentinel --restart o", "sentinel --tui ",
                "sentinel --cgroup ", "sentinel --stop-signal ", "sentinel --config ex", "sentinel ctl --so", "sentinel ctl -t 1s -",
                "sentinel check-config ex", "sentinel -m 1G -- ./le", "sentinel -m 1G python3 ex",
                "sentinel -m 1G -- python3 app.py --mem", "sentinel --name=x ./le");
        StringBuilder script = new StringBuilder("source '" + SCRIPT + "'\ncomplete -p sentinel\n");
        script.append("""
                tab() {
                  read -r -a COMP_WORDS <<<"$1"
                  [[ $1 == *' ' ]] && COMP_WORDS+=('')
                  COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 )) COMP_LINE=$1 COMP_POINT=${#1} COMPREPLY=()
                  "$2" sentinel "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}" 2>/dev/null
                  printf '%s\\n' "# $1" "${COMPREPLY[@]}"
                }
                f=$(complete -p sentinel | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')
                """);
        for (String t : typed) {
            script.append("tab '").append(t).append("' \"$f\"\n");
        }
        ToolRun r = ToolRun.run(dir, Map.of(), List.of("bash", "-c", script.toString()));
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        String current = null;
        for (String line : r.stdout().split("\n", -1)) {
            if (line.startsWith("# ")) {
                current = line.substring(2);
                COMPLETED.put(current, new java.util.ArrayList<>());
            } else if (current == null) {
                COMPLETED.put("complete -p", List.of(line));
            } else if (!line.isEmpty()) {
                COMPLETED.get(current).add(line);
            }
        }
    }

    @Test
    void bashParsesTheScript() throws Exception {
        ToolRun r = ToolRun.run(dir, Map.of(), List.of("bash", "-n", SCRIPT.toString()));
        assertEquals("", r.stderr());
        assertEquals(0, r.exit());
    }

    @Test
    void sourcingItRegistersTheCompletionOfSentinel() {
        assertEquals(List.of("complete -o default -F _sentinel sentinel"), COMPLETED.get("complete -p"));
    }

    @Test
    void optionsAndTheirValuesComplete() {
        assertEquals(List.of("--memory-limit"), COMPLETED.get("sentinel --mem"));
        assertEquals(List.of("on-failure"), COMPLETED.get("sentinel --restart o"));
        assertEquals(List.of("auto", "always", "never"), COMPLETED.get("sentinel --tui "));
        assertEquals(List.of("auto", "require", "off"), COMPLETED.get("sentinel --cgroup "));
        assertEquals(List.of("hup", "int", "quit", "usr1", "usr2", "term"), COMPLETED.get("sentinel --stop-signal "),
                "only the signals a stop may start with: not KILL");
        assertEquals(List.of("example.toml"), COMPLETED.get("sentinel --config ex"));
    }

    @Test
    void checkConfigAndCtlCompleteWithTheirOptions() {
        assertTrue(COMPLETED.get("sentinel ch").contains("check-config"), COMPLETED.toString());
        assertTrue(COMPLETED.get("sentinel ct").contains("ctl"), COMPLETED.toString());
        assertEquals(List.of("--socket"), COMPLETED.get("sentinel ctl --so"));
        assertEquals(Arrays.asList("-h", "--help", "-V", "--version", "-s", "--socket", "-t", "--timeout"),
                COMPLETED.get("sentinel ctl -t 1s -"));
        assertEquals(List.of("example.toml"), COMPLETED.get("sentinel check-config ex"));
    }

    @Test
    void theGuardedCommandCompletesAsItWouldWithoutSentinel() {
        assertEquals(List.of("./leaker"), COMPLETED.get("sentinel -m 1G -- ./le"));
        assertEquals(List.of("./leaker"), COMPLETED.get("sentinel --name=x ./le"));
        assertEquals(List.of("example.toml"), COMPLETED.get("sentinel -m 1G python3 ex"));
        assertEquals(List.of(), COMPLETED.get("sentinel -m 1G -- python3 app.py --mem"), "an option of the app's");
    }
}
