package dev.sentinel.platform.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.security.auth.module.UnixSystem;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** getxattr(2) through JNA and the JDK against the real kernel: a real cgroup2 directory, a real file. */
class RealXattrTest {

    private static final Path UNIFIED = Path.of("/sys/fs/cgroup/unified");
    private static final int ENODATA = 61;
    private static final int EOPNOTSUPP = 95;

    @Test
    void aCgroupDirectoryWithoutDelegationHasNeitherDelegateXattr() {
        assumeTrue(Files.isDirectory(UNIFIED), "needs a real cgroup2 directory at " + UNIFIED);
        assertTrue(Xattrs.bound(), "libc's getxattr binds here");
        for (String name : Detector.DELEGATE_XATTRS) {
            Xattrs.Answer a = Xattrs.ask(UNIFIED, name);
            assertNull(a.value(), name);
            assertTrue(Set.of(ENODATA, EOPNOTSUPP).contains(a.errno()), name + ": errno " + a.errno());
            assertNull(Xattrs.get(UNIFIED, name), name);
            assertNull(CgroupFiles.KERNEL.xattr(UNIFIED, name), name);
        }
    }

    @Test
    void getxattrReadsAValueTheJdkWrote(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "");
        UserDefinedFileAttributeView view = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        assumeTrue(view != null && Files.getFileStore(file).supportsFileAttributeView(UserDefinedFileAttributeView.class),
                "needs a file system with user xattrs for " + tmp);
        view.write("delegate", ByteBuffer.wrap("1".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(new Xattrs.Answer("1", 0), Xattrs.ask(file, "user.delegate"), "JNA reads a real value");
        assertEquals("1", CgroupFiles.KERNEL.xattr(file, "user.delegate"), "the JDK reads it back");
        assertNull(CgroupFiles.KERNEL.xattr(file, "trusted.delegate"));
        assertNull(CgroupFiles.KERNEL.xattr(tmp.resolve("missing"), "user.delegate"));
        assertNull(CgroupFiles.KERNEL.xattr(tmp.resolve("missing"), "trusted.delegate"));
    }

    /**
     * The pure-v2 path on a real, undelegated cgroup2 directory, with a systemd marker in a fake
     * root that reaches the real /sys/fs/cgroup: refused before anything in it is touched.
     */
    @Test
    void pureV2RefusesARealUndelegatedCgroupWithoutTouchingIt(@TempDir Path tmp) throws Exception {
        assumeTrue(new UnixSystem().getUid() == 0, "needs root: makes a directory in the real cgroup2 hierarchy");
        assumeTrue(Files.isDirectory(UNIFIED), "needs a real cgroup2 directory at " + UNIFIED);
        assumeTrue(Files.readAllLines(Path.of("/proc/self/cgroup")).contains("0::/"),
                "needs this JVM in the root of " + UNIFIED + ": put back there if the test fails");
        long pid = ProcessHandle.current().pid();
        String name = "dlg-test-" + pid;
        Path real = UNIFIED.resolve(name);
        Path procSelf = tmp.resolve("self");
        Files.createDirectories(procSelf);
        Files.writeString(procSelf.resolve("cgroup"), "0::/" + name + "\n");
        Files.writeString(procSelf.resolve("mountinfo"), "40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n");
        Path fsRoot = tmp.resolve("root");
        Files.createDirectories(fsRoot.resolve("sys/fs"));
        Files.createSymbolicLink(fsRoot.resolve("sys/fs/cgroup"), Path.of("/sys/fs/cgroup"));
        Files.createDirectories(fsRoot.resolve("run/systemd/system"));
        Path base = fsRoot.resolve("sys/fs/cgroup/unified").resolve(name);
        try {
            Files.createDirectory(real);
            List<Path> before = list(real);
            Detector d = new Detector(procSelf, tmp, fsRoot, pid, CgroupFiles.KERNEL);
            Containment c = d.detect(CgroupMode.AUTO);
            assertFalse(c.active());
            assertEquals("no cgroup (/proc only): " + base + " is not delegated to Sentinel (systemd manages it); "
                    + Detector.SYSTEMD_HINT, c.describe());
            CgroupException e = assertThrows(CgroupException.class, () -> d.detect(CgroupMode.REQUIRE));
            assertEquals("no cgroup Sentinel can use: " + base + " is not delegated to Sentinel (systemd manages it); "
                    + Detector.SYSTEMD_HINT, e.getMessage());
            assertEquals(before, list(real), "no sub-cgroup made");
            assertEquals("", Files.readString(real.resolve("cgroup.procs")), "this JVM is not moved");
        } finally {
            // Only if the check failed and Sentinel went on: back to where this JVM was, then remove all.
            if (Files.exists(real.resolve("sentinel-" + pid + "-self"))) {
                CgroupFiles.KERNEL.write(UNIFIED.resolve("cgroup.procs"), Long.toString(pid));
            }
            Files.deleteIfExists(real.resolve("sentinel-" + pid + "-self"));
            Files.deleteIfExists(real.resolve("sentinel-" + pid));
            Files.deleteIfExists(real);
        }
    }

    private static List<Path> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
