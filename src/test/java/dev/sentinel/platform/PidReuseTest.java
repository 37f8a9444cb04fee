package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.PidNamespace;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pid reuse for real: in a pid namespace of its own, a process of a tree is killed and its pid is
 * given to a bystander ({@link PidReuseProbe}); the signal Sentinel would send to the process the
 * last sample saw must not reach the bystander, though a plain kill(2) of that pid would.
 */
class PidReuseTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aSignalForAProcessThatIsGoneNeverReachesTheBystanderWithItsPid() {
        String why = PidNamespace.unavailableWhy();
        assumeTrue(why == null, () -> "no pid namespace here, so no pid can be reused on purpose: " + why);
        List<String> probe = new ArrayList<>();
        probe.add(JavaPrograms.java());
        probe.addAll(JavaPrograms.SMALL_JVM);
        probe.addAll(List.of("-cp", System.getProperty("java.class.path"), PidReuseProbe.class.getName()));
        Map<String, String> said = new HashMap<>();
        try (PidNamespace ns = PidNamespace.start(probe)) {
            int status = ns.unshare().awaitExit(WAIT);
            for (String line : ns.unshare().stdout()) {
                String[] kv = line.split("=", 2);
                if (kv.length == 2) {
                    said.put(kv[0], kv[1].split(" ")[0]);
                }
            }
            assertEquals(0, status, "the probe: " + ns.unshare().stdout() + ns.unshare().stderr());
        }
        assertTrue(said.containsKey("reused"), "the pid was reused: " + said);
        assertEquals("true", said.get("plainKillWouldHit"), "the bystander really has the pid: " + said);
        assertEquals("true", said.get("pidfds"), "this kernel (5.3+) has pidfds: " + said);
        assertEquals("false", said.get("signalledBystander"), said.toString());
        assertEquals("true", said.get("bystanderAlive"), said.toString());
        assertEquals("true", said.get("theProcessItselfSignalled"), said.toString());
        assertEquals("true", said.get("itEndedByTerm"), "delivered through the pidfd: " + said);
    }
}
