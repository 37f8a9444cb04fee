package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.settings.ProgramSettings;

/**
 * One program's place in the fleet: its settings, its machine, and what a reload asked of it (a
 * replacement to start once the old tree is gone, or removal). Loop thread only.
 */
final class ProgramSlot {

    ProgramSettings settings;
    Program program;
    /** Settings to start with once the current tree is gone (a reload changed them), or null. */
    ProgramSettings replacement;
    /** A reload removed it: forget it once its tree is gone. */
    boolean removing;

    ProgramSlot(ProgramSettings settings, Program program) {
        this.settings = settings;
        this.program = program;
    }

    /** Whether the slot waits for its tree to go before a reload's change can finish. */
    boolean pending() {
        return replacement != null || removing;
    }

    /** Starts it as its settings say: now, or when someone orders {@code start NAME}. */
    void startFirst() {
        if (settings.autostart()) {
            program.startOrGiveUp();
        } else {
            program.holdUntilStarted();
        }
    }
}
