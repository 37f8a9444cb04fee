package dev.sentinel.cli;

import dev.sentinel.settings.OutputTarget;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.output.OutputRouter;
import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.tui.Dashboard;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where each program's output goes. Single-command mode, headless: straight through, as it always
 * was; with the dashboard: its pane. Config mode: the file's {@code output} key, through an
 * {@link OutputRouter} ("prefix" lines go to the dashboard's pane of that program, or headless to
 * Sentinel's stdout and stderr after the program's name).
 */
final class ProgramOutputs implements AutoCloseable {

    private final boolean configMode;
    private final Dashboard dashboard;
    private final OutputRouter router;
    private final Consumer<String> warnings;

    /**
     * @param warnings told (from any thread) when a program's output cannot go where the file says
     */
    ProgramOutputs(boolean configMode, Dashboard dashboard, List<ProgramSettings> programs, Consumer<String> warnings) {
        this.configMode = configMode;
        this.dashboard = dashboard;
        this.warnings = warnings;
        if (!configMode) {
            router = null;
        } else if (dashboard != null) {
            router = OutputRouter.prefixingTo(dashboard::outputSink, warnings);
        } else {
            List<String> names = new ArrayList<>();
            for (ProgramSettings p : programs) {
                names.add(p.name());
            }
            router = OutputRouter.headless(System.out, System.err, names, warnings);
        }
    }

    /**
     * Opens every program's output before anything starts, so an output file that cannot be opened
     * is bad input (exit 2) rather than a surprise later.
     */
    void openAll(List<ProgramSettings> programs) throws LaunchException {
        if (router == null) {
            return;
        }
        for (ProgramSettings p : programs) {
            try {
                router.route(p.name(), p.output());
            } catch (IOException e) {
                throw new LaunchException(p.name() + ": " + e.getMessage() + ".", 2);
            }
        }
    }

    LaunchSpec launchSpec(ProgramSettings spec) {
        List<String> command = spec.command();
        if (!configMode) {
            return dashboard == null ? LaunchSpec.passThrough(command) : new LaunchSpec(command, dashboard.outputSink());
        }
        try {
            return router.launchSpec(spec);
        } catch (IOException e) {
            // A reload's new file that cannot be opened: the program still runs, its lines are prefixed.
            warnings.accept(spec.name() + ": " + e.getMessage() + "; its output goes to Sentinel's own instead");
            try {
                return router.route(spec.name(), OutputTarget.PREFIX).launchSpec(command, spec.cwd(), spec.env());
            } catch (IOException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    /** Writes what is still queued; call once every program has exited. */
    @Override
    public void close() {
        if (router != null) {
            router.close();
        }
    }
}
