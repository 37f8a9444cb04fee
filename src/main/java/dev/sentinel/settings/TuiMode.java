package dev.sentinel.settings;

/** When to show the dashboard. */
public enum TuiMode {
    /** The dashboard when stdout is a terminal, headless lines otherwise. */
    AUTO,
    ALWAYS,
    NEVER;

    /** Whether to show the dashboard, given whether stdout is a terminal. */
    public boolean dashboard(boolean stdoutIsTerminal) {
        return this == ALWAYS || this == AUTO && stdoutIsTerminal;
    }
}
