package dev.sentinel.platform.cgroup;

import dev.sentinel.platform.PidList;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads small cgroup files into one reused array. Their size is not known in advance (stat says
 * 0 or 4096), so read until end of file and grow when full. Not thread-safe: the owner locks.
 */
final class ReadBuffer {

    private byte[] bytes = new byte[512];
    private ByteBuffer wrapped = ByteBuffer.wrap(bytes);
    private int length;

    /** Reads the whole file from offset 0. */
    ReadBuffer read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file)) {
            return read(channel);
        }
    }

    /**
     * Reads an open file again from offset 0. A cgroup file (kernfs seq_file) regenerates its
     * text for a read at offset 0, so one descriptor serves a file that is polled often.
     */
    ReadBuffer read(FileChannel channel) throws IOException {
        wrapped.clear();
        long position = 0;
        while (true) {
            if (!wrapped.hasRemaining()) {
                int at = wrapped.position();
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
                wrapped = ByteBuffer.wrap(bytes);
                wrapped.position(at);
            }
            int n = channel.read(wrapped, position);
            if (n < 0) {
                break;
            }
            position += n;
        }
        length = wrapped.position();
        return this;
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    long keyed(String key, long missing) {
        return CgroupText.keyed(bytes, length, key, missing);
    }

    long value() {
        return CgroupText.value(bytes, length);
    }

    long[] pids() {
        return PidList.parse(bytes, length);
    }
}
