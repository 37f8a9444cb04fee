package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The OSHI fallback agrees with the /proc walk on a real tree. */
class OshiTreeSamplerTest {

    @Test
    void seesTheSameTreeAsTheProcWalk() throws Exception {
        CommandResolver resolver = CommandResolver.fromEnvironment();
        Libc libc = new Libc();
        SetsidLauncher launcher = new SetsidLauncher(resolver, SetsidLauncher.findSetsid(resolver), true);
        Child child = launcher.launch(new LaunchSpec(List.of("sh", "-c", "sh -c 'sleep 60' & sleep 60 & wait"),
                (s, l) -> { }));
        try (launcher; OshiTreeSampler oshi = OshiTreeSampler.create(child.pid());
             ProcTreeSampler proc = new ProcTreeSampler(ProcFs.system(), child.pid(), libc.pageSize())) {
            // Wait for both sleeps to have exec'd, so no process changes its memory between the two reads.
            Await.until(Duration.ofSeconds(10), "4 processes, two of them 'sleep 60'", () -> {
                TreeSample s = proc.sample();
                return s.count() == 4 && s.processes().stream().filter(p -> p.command().equals("sleep 60")).count() == 2;
            });
            TreeSample viaOshi = oshi.sample();
            TreeSample viaProc = proc.sample();
            assertEquals(pids(viaProc), pids(viaOshi));
            assertEquals(child.pid(), viaOshi.processes().get(0).pid());
            assertTrue(viaOshi.processes().stream().allMatch(p -> p.pgid() == child.pid()), viaOshi.toString());
            // Same memory within a page or two per process (the two reads are microseconds apart).
            assertEquals(viaProc.rssBytes(), viaOshi.rssBytes(), 4 * 8192.0);
        } finally {
            new LibcSignaller(libc).signalGroup(child.pgid(), Signal.KILL);
        }
    }

    @Test
    void theDefaultChoiceOnThisKernelIsTheProcWalk() {
        Sampler s = Samplers.best(ProcFs.system(), 4096).open(ProcessHandle.current().pid());
        assertTrue(s instanceof ProcTreeSampler, "CONFIG_PROC_CHILDREN is on here: " + s.getClass());
        s.close();
    }

    private static Set<Long> pids(TreeSample s) {
        return s.processes().stream().map(ProcessSample::pid).collect(Collectors.toSet());
    }
}
