package dev.sentinel.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.core.ReloadPlan;
import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.cgroup.CgroupException;
import dev.sentinel.platform.cgroup.Containment;
import dev.sentinel.platform.cgroup.ProgramCgroup;
import dev.sentinel.settings.Measure;
import dev.sentinel.settings.ProgramSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which measures a host can give, said before anything starts. */
class MemoryMeasuresTest {

    private static final ProcFs NO_ROLLUP = new ProcFs(Path.of("/nonexistent-proc"));

    private static Containment none(String why) {
        return new Containment() {
            public boolean active() {
                return false;
            }

            public String describe() {
                return why;
            }

            public boolean kernelLimits() {
                return false;
            }

            public ProgramCgroup create(String programName) throws CgroupException {
                throw new CgroupException("none");
            }

            public long programsCpuMicros() {
                return -1;
            }

            public void close() {
            }
        };
    }

    private static ProgramSettings program(String name, Measure measure) {
        return ProgramSettings.builder(name, List.of("sleep", "1")).measure(measure).build();
    }

    @Test
    void rssIsAlwaysThere() {
        MemoryMeasures m = new MemoryMeasures(NO_ROLLUP, false, none("--cgroup off"));
        assertEquals(List.of(), m.problems(List.of(program("a", Measure.RSS))));
    }

    @Test
    void pssWithoutSmapsRollupIsOneSentence() {
        MemoryMeasures m = new MemoryMeasures(NO_ROLLUP, false, none("--cgroup off"));
        String p = m.problem(program("web", Measure.PSS));
        assertTrue(p.startsWith("web: measure pss needs /proc/PID/smaps_rollup (Linux 4.14 or later"), p);
        assertTrue(p.endsWith("cannot be read."), p);
    }

    @Test
    void cgroupWithoutACgroupSaysWhyThereIsNone() {
        MemoryMeasures m = new MemoryMeasures(NO_ROLLUP, true, none("no cgroup: /sys/fs/cgroup is read-only"));
        assertEquals("web: measure cgroup needs a cgroup of the program's own with the memory controller, and there "
                + "is none (no cgroup: /sys/fs/cgroup is read-only); use measure rss or pss, or run Sentinel where "
                + "it can make cgroups.", m.problem(program("web", Measure.CGROUP)));
        assertNull(m.problem(program("web", Measure.PSS)));
    }

    @Test
    void eachProgramThatCannotBeMeasuredIsNamed() {
        MemoryMeasures m = new MemoryMeasures(NO_ROLLUP, false, none("--cgroup off"));
        List<String> p = m.problems(List.of(program("a", Measure.PSS), program("b", Measure.RSS),
                program("c", Measure.CGROUP)));
        assertEquals(2, p.size());
        assertTrue(p.get(0).startsWith("a: ") && p.get(1).startsWith("c: "), p.toString());
    }

    @Test
    void aReloadToAMeasureThisHostCannotGiveIsRefusedAndOneItCanIsApplied() {
        MemoryMeasures m = new MemoryMeasures(NO_ROLLUP, true, none("--cgroup off"));
        ReloadPlan.Apply bad = new ReloadPlan.Apply(List.of(program("a", Measure.CGROUP)), List.of(),
                List.of(program("b", Measure.PSS)), List.of(), List.of(), false);
        ReloadPlan refused = m.checking(() -> bad).plan();
        assertTrue(refused instanceof ReloadPlan.Refused r && r.problems().size() == 1
                && r.problems().get(0).startsWith("a: measure cgroup needs"), refused.toString());
        ReloadPlan.Apply good = new ReloadPlan.Apply(List.of(), List.of(), List.of(program("b", Measure.PSS)),
                List.of(), List.of(), false);
        assertEquals(good, m.checking(() -> good).plan());
    }
}
