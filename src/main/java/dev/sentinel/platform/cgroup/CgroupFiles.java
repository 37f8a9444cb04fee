package dev.sentinel.platform.cgroup;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * The three ways Sentinel changes the cgroup file system, and the extended attributes it reads
 * there. Apart so that tests can stand in for the kernel: in a plain directory tree mkdir creates
 * no control files, rmdir refuses a directory with files in it, writes neither replace a value
 * nor move a process, and no test can set a {@code trusted.*} attribute.
 */
interface CgroupFiles {

    void mkdir(Path dir) throws IOException;

    void rmdir(Path dir) throws IOException;

    /** One write(2) of the whole value: the kernel takes one pid, one limit, per write. */
    void write(Path file, String value) throws IOException;

    /**
     * The value of an extended attribute ({@code user.delegate}, {@code trusted.delegate}), or
     * null if the file has none of that name or it cannot be read: absent and unreadable mean
     * the same to the caller.
     */
    String xattr(Path path, String name);

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

        @Override
        public String xattr(Path path, String name) {
            if (!name.startsWith("user.")) {
                return Xattrs.get(path, name); // trusted.*: beyond the JDK
            }
            try {
                UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
                if (view == null) {
                    return null;
                }
                ByteBuffer value = ByteBuffer.allocate(256);
                view.read(name.substring("user.".length()), value);
                value.flip();
                return StandardCharsets.UTF_8.decode(value).toString();
            } catch (IOException | RuntimeException e) {
                return null; // ENODATA, or a file system without user xattrs (cgroup2 before 5.7, v1)
            }
        }
    };
}
