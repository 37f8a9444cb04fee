package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.security.auth.module.UnixSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFsTest {

    @Test
    void effectiveUidMatchesTheJdksOwnAnswer() {
        assertEquals(new UnixSystem().getUid(), ProcFs.system().effectiveUid());
    }

    @Test
    void effectiveUidIsTheSecondFieldOfTheUidLine(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("self"));
        Files.writeString(root.resolve("self/status"), "Name:\tjava\nUmask:\t0022\nUid:\t1000\t1001\t1002\t1003\nGid:\t5\t5\t5\t5\n");
        assertEquals(1001, new ProcFs(root).effectiveUid());
    }

    @Test
    void aStatusWithoutUidIsAnError(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("self"));
        Files.writeString(root.resolve("self/status"), "Name:\tjava\n");
        assertThrows(IllegalStateException.class, () -> new ProcFs(root).effectiveUid());
    }
}
