package dev.sentinel.output;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One program's lines as the console shows them: {@code web    | GET / 200}, encoded on the reader
 * thread. The padded name is kept encoded and remade only when the width grows.
 */
final class ProgramPrefix {

    private record Encoded(int width, byte[] bytes) {
    }

    private final String name;
    private final AtomicInteger width;
    /** Two pump threads (stdout, stderr: the fallback reader) may race to remake it; either result is right. */
    private volatile Encoded encoded;

    ProgramPrefix(String name, AtomicInteger width) {
        this.name = name;
        this.width = width;
    }

    byte[] line(String text) {
        int w = width.get();
        Encoded e = encoded;
        if (e == null || e.width() != w) {
            e = new Encoded(w, ConsoleDestination.prefix(name, w).getBytes(StandardCharsets.UTF_8));
            encoded = e;
        }
        return LineDestination.encode(e.bytes(), text);
    }
}
