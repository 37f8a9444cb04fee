package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.settings.ProgramSettings;

/**
 * Builds the guardian of one program: the launcher, the sampler and where its output goes are the
 * wiring's business (cli), the supervisor only decides when a program comes and goes (a reload).
 */
@FunctionalInterface
public interface ProgramFactory {

    Program create(ProgramSettings spec);
}
