package dev.sentinel.platform.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The working set of v2 and v1 memory cgroups, from the files' text as the kernel writes them. */
class WorkingSetTest {

    @TempDir
    Path dir;

    @Test
    void v2IsMemoryCurrentLessInactiveFile() throws IOException {
        Files.writeString(dir.resolve("memory.current"), "209715200\n");
        Files.writeString(dir.resolve("memory.stat"), """
                anon 8388608
                file 201326592
                shmem 157286400
                active_file 4194304
                inactive_file 40000000
                inactive_anon 157286400
                """);
        try (WorkingSet ws = WorkingSet.v2(dir)) {
            assertEquals(209715200L - 40000000L, ws.bytes());
        }
    }

    @Test
    void v1IsUsageLessTheSubtreesInactiveFileNotTheCgroupsOwn() throws IOException {
        Files.writeString(dir.resolve("memory.usage_in_bytes"), "167772160\n");
        Files.writeString(dir.resolve("memory.stat"), """
                cache 159383552
                rss 8388608
                inactive_file 1000
                hierarchical_memory_limit 9223372036854771712
                total_cache 159383552
                total_inactive_file 2000000
                total_active_file 100
                """);
        try (WorkingSet ws = WorkingSet.v1(dir)) {
            assertEquals(167772160L - 2000000L, ws.bytes());
        }
    }

    @Test
    void theFilesAreReadAgainAtEachCall() throws IOException {
        Files.writeString(dir.resolve("memory.current"), "1000\n");
        Files.writeString(dir.resolve("memory.stat"), "inactive_file 100\n");
        try (WorkingSet ws = WorkingSet.v2(dir)) {
            assertEquals(900, ws.bytes());
            Files.writeString(dir.resolve("memory.current"), "5000\n");
            assertEquals(4900, ws.bytes());
        }
    }

    @Test
    void neverBelowZeroAndMinusOneWhereNothingCanBeRead() throws IOException {
        assertEquals(0, WorkingSet.of(100, 500));
        assertEquals(-1, WorkingSet.of(-1, 0));
        assertEquals(100, WorkingSet.of(100, -1));
        try (WorkingSet ws = WorkingSet.v2(dir.resolve("gone"))) {
            assertEquals(-1, ws.bytes());
        }
    }
}
