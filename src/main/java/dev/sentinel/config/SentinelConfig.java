package dev.sentinel.config;

import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.SentinelSection;
import java.nio.file.Path;
import java.util.List;

/**
 * A valid config file: Sentinel's own settings and the programs, in the file's order (instances
 * expanded: web-1 ... web-N).
 */
public record SentinelConfig(Path file, SentinelSection sentinel, List<ProgramSettings> programs) {

    public SentinelConfig {
        programs = List.copyOf(programs);
    }
}
