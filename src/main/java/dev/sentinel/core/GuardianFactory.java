package dev.sentinel.core;

import dev.sentinel.core.program.Guardian;
import dev.sentinel.settings.ProgramSpec;

/**
 * Builds the guardian of one program: the launcher, the sampler and where its output goes are the
 * wiring's business (cli), the supervisor only decides when a program comes and goes (a reload).
 */
@FunctionalInterface
public interface GuardianFactory {

    Guardian create(ProgramSpec spec);
}
