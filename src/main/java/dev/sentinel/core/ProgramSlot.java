package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.settings.ProgramSettings;

/**
 * One program's place in the supervisor: its spec, its guardian, and what a reload asked of it
 * (a replacement to start once the old tree is gone, or removal). Loop thread only.
 */
final class ProgramSlot {

    ProgramSettings spec;
    Program guardian;
    /** Settings to start with once the current tree is gone (a reload changed them), or null. */
    ProgramSettings replacement;
    /** A reload removed it: forget it once its tree is gone. */
    boolean removing;

    ProgramSlot(ProgramSettings spec, Program guardian) {
        this.spec = spec;
        this.guardian = guardian;
    }

    /** Whether the slot waits for its tree to go before a reload's change can finish. */
    boolean pending() {
        return replacement != null || removing;
    }
}
