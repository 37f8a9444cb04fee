package dev.sentinel.control;

import java.nio.file.Path;

/**
 * Where and for whom the control socket listens.
 *
 * @param path the socket path
 * @param explicit true if the user chose the path (a live socket there is then an error); false for
 *                 the default path, where Sentinel falls back to a per-process path instead
 * @param mode the file mode of the socket, e.g. 0600
 * @param group a group to give the socket to, or null
 */
public record ControlSettings(boolean enabled, Path path, boolean explicit, int mode, String group) {

    public static final Path DEFAULT_PATH = Path.of("/tmp/sentinel.socket");
}
