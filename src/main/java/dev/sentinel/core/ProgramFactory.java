package dev.sentinel.core;

import dev.sentinel.core.program.HealthLinks;

import dev.sentinel.core.program.Program;
import dev.sentinel.settings.ProgramSettings;

/**
 * Builds the guardian of one program: the launcher, the sampler and where its output goes are the
 * wiring's business (cli), the supervisor only decides when a program comes and goes (a reload).
 */
@FunctionalInterface
public interface ProgramFactory {

    Program create(ProgramSettings spec);

    /** What a program's health needs when a reload changes its check in place (a prober for a new check). */
    default HealthLinks links(ProgramSettings spec) {
        return HealthLinks.NONE;
    }
}
