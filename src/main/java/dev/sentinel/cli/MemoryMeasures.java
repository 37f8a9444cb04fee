package dev.sentinel.cli;

import dev.sentinel.core.ReloadPlan;
import dev.sentinel.core.Reloader;
import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.PssSampler;
import dev.sentinel.platform.Sampler;
import dev.sentinel.platform.WorkingSetSampler;
import dev.sentinel.platform.cgroup.Containment;
import dev.sentinel.platform.cgroup.ProgramCgroup;
import dev.sentinel.settings.Measure;
import dev.sentinel.settings.ProgramSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Each program's {@code measure}: whether this host can give it (checked once, before anything
 * starts: a measure that cannot be had is a usage error, not a silent fall back to RSS), and the
 * sampler that counts by it.
 *
 * @param proc        where smaps_rollup files are
 * @param pss         this kernel has smaps_rollup and Sentinel may read it
 * @param containment the programs' cgroups, or none
 */
record MemoryMeasures(ProcFs proc, boolean pss, Containment containment) {

    static MemoryMeasures of(ProcFs proc, Containment containment) {
        return new MemoryMeasures(proc, PssSampler.available(proc), containment);
    }

    /** One sentence per program whose measure cannot be had here. */
    List<String> problems(List<ProgramSettings> programs) {
        List<String> out = new ArrayList<>();
        for (ProgramSettings p : programs) {
            String problem = problem(p);
            if (problem != null) {
                out.add(problem);
            }
        }
        return out;
    }

    String problem(ProgramSettings p) {
        if (p.measure() == Measure.PSS && !pss) {
            return p.name() + ": measure pss needs /proc/PID/smaps_rollup (Linux 4.14 or later, and a /proc that "
                    + "shows it), and " + proc.smapsRollup(ProcessHandle.current().pid()) + " cannot be read.";
        }
        if (p.measure() == Measure.CGROUP && !(containment.active() && containment.kernelLimits())) {
            return p.name() + ": measure cgroup needs a cgroup of the program's own with the memory controller, and "
                    + "there is none (" + containment.describe() + "); use measure rss or pss, or run Sentinel "
                    + "where it can make cgroups.";
        }
        return null;
    }

    /**
     * {@code reloader}, refusing a reload that adds or changes a program to a measure this host
     * cannot give (with the same sentences as at start; what runs is left as it is).
     */
    Reloader checking(Reloader reloader) {
        return new Reloader() {
            @Override
            public ReloadPlan plan() {
                ReloadPlan plan = reloader.plan();
                if (plan instanceof ReloadPlan.Apply apply) {
                    List<ProgramSettings> fresh = new ArrayList<>(apply.changed());
                    fresh.addAll(apply.added());
                    List<String> problems = problems(fresh);
                    if (!problems.isEmpty()) {
                        return new ReloadPlan.Refused(problems);
                    }
                }
                return plan;
            }

            @Override
            public void applied(ReloadPlan.Apply plan) {
                reloader.applied(plan);
            }
        };
    }

    /**
     * The samplers of {@code p}: {@code rss} as they are, {@code pss} over them, {@code cgroup} with the
     * tree's total from its cgroup (by RSS where it has none: a reload's program whose cgroup failed).
     */
    Sampler.Factory samplers(ProgramSettings p, Sampler.Factory rss, ProgramCgroup cgroup) {
        return switch (p.measure()) {
            case RSS -> rss;
            case PSS -> PssSampler.over(rss, proc);
            case CGROUP -> cgroup == null ? rss : pid -> new WorkingSetSampler(rss.open(pid), cgroup::workingSetBytes);
        };
    }
}
