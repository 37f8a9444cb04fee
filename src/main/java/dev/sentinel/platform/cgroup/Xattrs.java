package dev.sentinel.platform.cgroup;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Extended attributes through {@code getxattr(2)}: the JDK's {@code UserDefinedFileAttributeView}
 * reads {@code user.*} only, and systemd marks a cgroup it delegated with {@code trusted.delegate}
 * (the user manager, which may not write {@code trusted.*}, with {@code user.delegate}).
 *
 * <p>Bound by JNA's direct mapping, as {@code CpuClocks}: if libc cannot be bound here, every
 * attribute reads as absent.
 */
final class Xattrs {

    /** More than any flag systemd writes ("1"); a longer value fails with ERANGE and reads as absent. */
    private static final int MAX_VALUE = 256;

    private static final boolean BOUND = bind();

    /**
     * What getxattr said.
     *
     * @param value the attribute's value, null if it failed
     * @param errno why it failed (ENODATA: no such attribute), 0 with a value, -1 if libc is not bound
     */
    record Answer(String value, int errno) {
    }

    private Xattrs() {
    }

    static boolean bound() {
        return BOUND;
    }

    /** The attribute's value, or null if the file has none of that name or it cannot be read. */
    static String get(Path path, String name) {
        return ask(path, name).value();
    }

    static Answer ask(Path path, String name) {
        if (!BOUND) {
            return new Answer(null, -1);
        }
        byte[] value = new byte[MAX_VALUE];
        long n = getxattr(path.toString(), name, value, new NativeLong(value.length)).longValue();
        if (n < 0) {
            return new Answer(null, Native.getLastError());
        }
        return new Answer(new String(value, 0, (int) n, StandardCharsets.UTF_8), 0);
    }

    private static boolean bind() {
        try {
            Native.register(Xattrs.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
            return true;
        } catch (LinkageError | RuntimeException e) {
            return false;
        }
    }

    // Direct mapping: the name and signature are libc's (size_t and ssize_t as NativeLong).
    private static native NativeLong getxattr(String path, String name, byte[] value, NativeLong size);
}
