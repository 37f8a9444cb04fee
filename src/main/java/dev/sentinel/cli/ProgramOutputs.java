package dev.sentinel.cli;

import dev.sentinel.core.OutputTarget;
import dev.sentinel.core.ProgramSpec;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.OutputSink;
import dev.sentinel.tui.Dashboard;
import java.util.List;

/**
 * Where each program's output goes. Single-command mode, headless: straight through, as it always
 * was; with the dashboard: its pane. Config mode: the file's {@code output} key ("prefix" lines go
 * to the dashboard's pane of that program, or headless to Sentinel's stdout and stderr after the
 * program's name).
 */
final class ProgramOutputs implements AutoCloseable {

    private final boolean configMode;
    private final Dashboard dashboard;

    ProgramOutputs(boolean configMode, Dashboard dashboard, List<ProgramSpec> programs) {
        this.configMode = configMode;
        this.dashboard = dashboard;
    }

    LaunchSpec launchSpec(ProgramSpec spec) {
        List<String> command = spec.guardian().command();
        if (!configMode) {
            return dashboard == null ? LaunchSpec.passThrough(command) : new LaunchSpec(command, dashboard.outputSink());
        }
        OutputTarget target = spec.output();
        if (target instanceof OutputTarget.Discard) {
            return new LaunchSpec(command, null, spec.cwd(), spec.env(), true);
        }
        return new LaunchSpec(command, sink(spec), spec.cwd(), spec.env(), false);
    }

    private OutputSink sink(ProgramSpec spec) {
        String name = spec.name();
        if (dashboard != null) {
            return dashboard.outputSink();
        }
        return (stream, line) -> (stream == OutputSink.Stream.STDERR ? System.err : System.out).println(name + " | " + line);
    }

    @Override
    public void close() {
    }
}
