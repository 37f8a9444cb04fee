package dev.sentinel.settings;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * A file or directory: a word as it is, and in a file a string taken from the file's directory
 * when relative (as docker compose does).
 */
public final class PathType implements ValueType<Path> {

    private final String noun;
    private final String accepted;

    public PathType(String noun, String accepted) {
        this.noun = noun;
        this.accepted = accepted;
    }

    @Override
    public Class<?> javaType() {
        return Path.class;
    }

    @Override
    public Path parse(String word) {
        try {
            return Path.of(word);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("'" + word + "' is not a path (" + e.getReason() + "); use "
                    + accepted + ".");
        }
    }

    @Override
    public Path read(Written written) {
        return written.path(noun, accepted);
    }
}
