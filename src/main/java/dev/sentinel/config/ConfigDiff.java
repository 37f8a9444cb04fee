package dev.sentinel.config;

import dev.sentinel.settings.ProgramSettings;
import java.util.List;

/**
 * What a reload changes, program by program, and which {@code [sentinel]} settings would need a
 * restart of Sentinel to take effect (they are reported, not applied).
 *
 * @param unchanged names of programs whose spec is equal: not touched
 * @param changed the new specs of programs whose spec differs: stopped in tiers, started with these
 * @param removed names of programs no longer in the file: stopped
 * @param added specs of new programs: started (if autostart)
 * @param needsRestart one sentence per [sentinel] key that changed, e.g. "metrics_port changed from 8000 to
 *                     9000: takes effect when Sentinel restarts" (keep_running applies at once: never here)
 */
public record ConfigDiff(List<String> unchanged, List<ProgramSettings> changed, List<String> removed,
                         List<ProgramSettings> added, List<String> needsRestart) {

    public ConfigDiff {
        unchanged = List.copyOf(unchanged);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        added = List.copyOf(added);
        needsRestart = List.copyOf(needsRestart);
    }
}
