package dev.sentinel.core;

import dev.sentinel.settings.ProgramSettings;
import java.util.List;

/** What a re-read of the config file asks the supervisor to do. */
public sealed interface ReloadPlan {

    /** The file has errors: nothing changes. */
    record Refused(List<String> problems) implements ReloadPlan {
        public Refused {
            problems = List.copyOf(problems);
        }
    }

    /**
     * Apply these changes, program by program.
     *
     * @param changed new specs of programs whose settings differ: stopped in tiers, then started with them
     * @param removed names no longer in the file: stopped, then forgotten
     * @param added specs of new programs: started if autostart
     * @param unchanged names left alone (same pid)
     * @param notes sentences to pass on (e.g. a [sentinel] key that needs a restart of Sentinel)
     * @param keepRunning the file's keep_running, which applies at once
     */
    record Apply(List<ProgramSettings> changed, List<String> removed, List<ProgramSettings> added, List<String> unchanged,
                 List<String> notes, boolean keepRunning) implements ReloadPlan {
        public Apply {
            changed = List.copyOf(changed);
            removed = List.copyOf(removed);
            added = List.copyOf(added);
            unchanged = List.copyOf(unchanged);
            notes = List.copyOf(notes);
        }
    }
}
