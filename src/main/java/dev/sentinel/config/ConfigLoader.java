package dev.sentinel.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Loads a config file ({@code sentinel --config FILE}): TOML with [sentinel], [defaults] and
 * [programs.NAME] tables, {@code ${VAR}} from the environment given, relative paths from the
 * file's directory. Every problem is collected, each at its FILE:LINE, before anything fails.
 *
 * <p>The TOML library is reached only from here (through {@link TomlReader}), so a run without a
 * config file never loads it.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * The largest file read. A config of a hundred programs is under 100 KiB; a bigger file is a
     * mistake (a log, a dump, /dev/zero through a link), and reading it whole could exhaust the
     * heap of the Sentinel that reloads it — and end every program it guards.
     */
    static final int MAX_BYTES = 4 * 1024 * 1024;

    /**
     * The file's config.
     *
     * @param environment the variables {@code ${VAR}} reads (Sentinel's own: {@code System.getenv()})
     * @throws ConfigException with every problem found, in the file's order
     */
    public static SentinelConfig load(Path file, Map<String, String> environment) throws ConfigException {
        Problems problems = new Problems(file);
        SentinelConfig config = read(file, environment, problems);
        if (config == null || !problems.isEmpty()) {
            throw problems.exception();
        }
        return config;
    }

    /** Every problem of the file, in the file's order; empty when it loads ({@code sentinel check-config}). */
    public static List<ConfigProblem> check(Path file, Map<String, String> environment) {
        try {
            load(file, environment);
            return List.of();
        } catch (ConfigException e) {
            return e.problems();
        }
    }

    private static SentinelConfig read(Path file, Map<String, String> environment, Problems problems) {
        String text = text(file, problems);
        if (text == null) {
            return null;
        }
        ConfigNode.Table root = TomlReader.read(text, problems);
        return root == null ? null : new DocumentReader(file, environment, problems).read(root);
    }

    private static String text(Path file, Problems problems) {
        if (Files.isDirectory(file)) {
            problems.add(0, null, "is a directory; give the path of a TOML file.");
            return null;
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // A FIFO would block the read until someone writes to it; /dev/zero would never end.
            problems.add(0, null, "is not a regular file (a FIFO, a device or a socket); give the path of a TOML file.");
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            // Read at most one byte past the bound, whatever the file's size says: it may grow while read.
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                problems.add(0, null, "is larger than " + MAX_BYTES / (1024 * 1024) + " MiB; a config file is text of "
                        + "a few KiB (is this the right file?).");
                return null;
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            problems.add(0, null, "is not UTF-8 text; a TOML file is UTF-8.");
        } catch (NoSuchFileException e) {
            problems.add(0, null, "no such file; give the path of an existing TOML file.");
        } catch (AccessDeniedException e) {
            problems.add(0, null, "permission denied; make the file readable by the user running Sentinel.");
        } catch (IOException e) {
            String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
            problems.add(0, null, "cannot be read (" + why + "); give the path of a readable TOML file.");
        }
        return null;
    }
}
