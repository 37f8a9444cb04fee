package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DescriptorBudgetTest {

    @TempDir
    Path dir;

    @Test
    void aServersShareIsAQuarterOfWhatTheGuardDoesNotKeep() {
        assertEquals(32, new DescriptorBudget(256).connections(1024), "ulimit -n 256: (256 - 128) / 4");
        assertEquals(224, new DescriptorBudget(1024).connections(1024));
        assertEquals(224, new DescriptorBudget(1024).connections(256));
        assertEquals(1024, new DescriptorBudget(1_048_576).connections(1024), "the usual limit changes nothing");
        assertEquals(256, new DescriptorBudget(Long.MAX_VALUE).connections(256), "unknown changes nothing");
        assertEquals(8, new DescriptorBudget(64).connections(1024), "a few clients even at a tiny limit");
        assertEquals(4, new DescriptorBudget(64).connections(4), "never more than wanted");
    }

    @Test
    void theSoftLimitIsReadFromProcSelfLimits() throws IOException {
        Path self = Files.createDirectories(dir.resolve("self"));
        Files.writeString(self.resolve("limits"), "Limit                     Soft Limit           Hard Limit           Units     \n"
                + "Max processes             63457                63457                processes \n"
                + "Max open files            256                  4096                 files     \n");
        assertEquals(256, DescriptorBudget.of(new ProcFs(dir)).openFiles());
        Files.writeString(self.resolve("limits"), "Max open files            unlimited            unlimited            files\n");
        assertEquals(Long.MAX_VALUE, DescriptorBudget.of(new ProcFs(dir)).openFiles());
        assertEquals(Long.MAX_VALUE, DescriptorBudget.of(new ProcFs(dir.resolve("none"))).openFiles());
        assertTrue(DescriptorBudget.of(ProcFs.system()).openFiles() > 0, "this JVM's own");
    }
}
