package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.StopReason;
import java.util.ArrayList;
import java.util.List;

/**
 * The programs Sentinel supervises, in the order they were given, each in its {@link ProgramSlot}.
 * A single command is a fleet of one. Loop thread only.
 */
public final class Fleet {

    private final List<ProgramSlot> slots = new ArrayList<>();
    /** The programs of {@link #slots}, rebuilt when a slot is added, removed or replaced. */
    private List<Program> programs = List.of();

    /** A fleet of {@code programs}, each with its own settings (for a loop that is not a Supervisor). */
    public static Fleet of(List<Program> programs) {
        Fleet f = new Fleet();
        for (Program p : programs) {
            f.slots.add(new ProgramSlot(p.settings(), p));
        }
        f.changed();
        return f;
    }

    /** Adds a program at the end. */
    void add(ProgramSlot slot) {
        slots.add(slot);
        changed();
    }

    /** The slots, for the loop's own changes (a reload); call {@link #changed()} after changing them. */
    List<ProgramSlot> slots() {
        return slots;
    }

    /** The slots changed (one removed, a program replaced): rebuild the program list. */
    void changed() {
        List<Program> out = new ArrayList<>(slots.size());
        for (ProgramSlot s : slots) {
            out.add(s.program);
        }
        programs = List.copyOf(out);
    }

    /** Every program, in order (an unmodifiable list that stays as it is when the fleet changes). */
    public List<Program> programs() {
        return programs;
    }

    public int size() {
        return slots.size();
    }

    /** The program called {@code name}, or null. */
    public Program program(String name) {
        ProgramSlot s = slot(name);
        return s == null ? null : s.program;
    }

    ProgramSlot slot(String name) {
        for (ProgramSlot s : slots) {
            if (s.program.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** How many programs have a tree now. */
    public int withTree() {
        int n = 0;
        for (ProgramSlot s : slots) {
            if (s.program.state().hasTree()) {
                n++;
            }
        }
        return n;
    }

    /** Whether every program is finished (EXITED or FATAL) and no reload waits for one. */
    public boolean allFinished() {
        for (ProgramSlot s : slots) {
            if (!s.program.isFinished() || s.pending()) {
                return false;
            }
        }
        return true;
    }

    /** Whether some program is not finished yet: a stop of everything has something to stop. */
    public boolean anythingToStop() {
        for (ProgramSlot s : slots) {
            if (!s.program.state().isFinal()) {
                return true;
            }
        }
        return false;
    }

    /**
     * SIGKILL to every tree now ({@code reason}), and pending restarts cancelled; returns how many
     * trees were killed.
     */
    int killAll(StopReason reason) {
        int n = 0;
        for (ProgramSlot s : slots) {
            Program p = s.program;
            if (p.state().hasTree()) {
                p.onKill(reason);
                n++;
            } else if (p.state() == ProgramState.BACKOFF) {
                p.onStop(reason);
            }
        }
        return n;
    }
}
