package dev.sentinel.platform.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The three ways Sentinel changes the cgroup file system. Apart so that tests can stand in for
 * the kernel: in a plain directory tree mkdir creates no control files, rmdir refuses a directory
 * with files in it, and writes neither replace a value nor move a process.
 */
interface CgroupFiles {

    void mkdir(Path dir) throws IOException;

    void rmdir(Path dir) throws IOException;

    /** One write(2) of the whole value: the kernel takes one pid, one limit, per write. */
    void write(Path file, String value) throws IOException;

    /** The real cgroup file system. */
    CgroupFiles KERNEL = new CgroupFiles() {
        @Override
        public void mkdir(Path dir) throws IOException {
            Files.createDirectory(dir);
        }

        @Override
        public void rmdir(Path dir) throws IOException {
            // Files.delete calls rmdir(2) for a directory; the kernel removes the control files.
            Files.delete(dir);
        }

        @Override
        public void write(Path file, String value) throws IOException {
            // WRITE only: a kernel file must not be created, and O_TRUNC means nothing to it.
            Files.write(file, value.getBytes(StandardCharsets.US_ASCII), StandardOpenOption.WRITE);
        }
    };
}
