package dev.sentinel.tui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {

    @TempDir
    Path dir;

    @Test
    void appendsLinesAsPrintedAndFlushesOnRequest() throws Exception {
        Path file = dir.resolve("out.log");
        Files.writeString(file, "old\n");
        try (LogFile log = LogFile.open(file)) {
            log.line("\u001b[1mbold\u001b[0m");
            log.line("plain");
            log.flush();
            assertEquals(List.of("old", "\u001b[1mbold\u001b[0m", "plain"), Files.readAllLines(file));
            assertNull(log.error());
        }
    }

    @Test
    void aFullDiskIsReportedOnceAndEndsTheLoggingNotTheRun() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "no /dev/full here");
        try (LogFile log = LogFile.open(full)) {
            for (int i = 0; i < 10_000; i++) {
                log.line("x".repeat(100));
            }
            log.flush();
            String error = log.error();
            assertTrue(error != null && error.startsWith("writing the log file /dev/full failed ("), error);
            assertTrue(error.endsWith("; the output is no longer logged"), error);
            log.line("after");
            log.flush();
            assertEquals(error, log.error(), "reported once");
        }
    }
}
