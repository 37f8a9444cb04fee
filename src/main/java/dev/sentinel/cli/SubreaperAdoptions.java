package dev.sentinel.cli;

import dev.sentinel.core.Adoptions;
import dev.sentinel.platform.ProcFs;
import dev.sentinel.platform.ProcStat;
import dev.sentinel.platform.SetsidLauncher;
import dev.sentinel.platform.Subreaper;
import java.io.IOException;
import java.nio.file.Files;

/** Sentinel's adopted children by the subreaper, less the programs the launcher started (the JDK reaps those). */
final class SubreaperAdoptions implements Adoptions {

    private final Subreaper subreaper;
    private final SetsidLauncher launcher;
    private final ProcFs proc;

    SubreaperAdoptions(Subreaper subreaper, SetsidLauncher launcher, ProcFs proc) {
        this.subreaper = subreaper;
        this.launcher = launcher;
        this.proc = proc;
    }

    @Override
    public long[] adopted() {
        return subreaper.adopted(launcher::startedByJdk);
    }

    @Override
    public long[] groupAndSession(long pid) {
        try {
            byte[] raw = Files.readAllBytes(proc.stat(pid));
            ProcStat stat = ProcStat.parse(raw, raw.length);
            return stat == null ? null : new long[] {stat.pgid(), stat.session()};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public int reapEnded(long[] adopted) {
        return subreaper.reapEnded(adopted, launcher::startedByJdk, (pid, status) -> { });
    }
}
