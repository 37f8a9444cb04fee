import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Says where every resident MiB of a JVM goes: each resident page (a present bit in
 * /proc/PID/pagemap) is attributed to the JVM's own account of its memory where it has one (the
 * virtual-memory map of {@code jcmd PID VM.native_memory detail}: Java Heap, Class space,
 * Metaspace, Code, Thread Stack, Shared class space, ...), and otherwise to what /proc/PID/maps
 * says the mapping is (a file such as libjvm.so or the jimage {@code modules}, or anonymous
 * memory, which is mostly glibc's malloc arenas). The total equals the process's resident set.
 *
 * <p>{@code java -cp CLASSES MemoryMap PID NMT_DETAIL_FILE}
 */
final class MemoryMap {

    private static final Pattern RESERVED =
            Pattern.compile("^\\[0x([0-9a-f]+) - 0x([0-9a-f]+)\\] reserved \\d+KB for (.+?)(?: from)?\\s*$");
    private static final Pattern MAPS_LINE =
            Pattern.compile("^([0-9a-f]+)-([0-9a-f]+) \\S+ \\S+ \\S+ \\S+\\s*(.*)$");

    private record Region(long start, long end, String name) {
    }

    private MemoryMap() {
    }

    /** Resident KiB per account, largest first. */
    static Map<String, Long> residentKib(long pid, String nmtDetail) throws IOException {
        List<Region> nmt = new ArrayList<>();
        for (String line : nmtDetail.split("\n")) {
            Matcher m = RESERVED.matcher(line);
            if (m.matches()) {
                nmt.add(new Region(Long.parseUnsignedLong(m.group(1), 16), Long.parseUnsignedLong(m.group(2), 16),
                        "JVM: " + m.group(3)));
            }
        }
        nmt.sort((a, b) -> Long.compareUnsigned(a.start, b.start));
        long page = Proc.pageSize();
        Map<String, Long> pages = new LinkedHashMap<>();
        List<String> maps = Files.readAllLines(Path.of("/proc", Long.toString(pid), "maps"));
        try (RandomAccessFile pagemap = new RandomAccessFile("/proc/" + pid + "/pagemap", "r")) {
            for (String line : maps) {
                Matcher m = MAPS_LINE.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                long start = Long.parseUnsignedLong(m.group(1), 16);
                long end = Long.parseUnsignedLong(m.group(2), 16);
                if (Long.compareUnsigned(start, 0x800000000000L) >= 0) {
                    continue; // [vsyscall]: not in pagemap
                }
                String name = mappingName(m.group(3).trim());
                long cursor = start;
                for (Region r : nmt) {
                    if (r.end <= cursor || r.start >= end) {
                        continue;
                    }
                    if (r.start > cursor) {
                        add(pages, name, present(pagemap, cursor, r.start, page));
                    }
                    long to = Math.min(end, r.end);
                    add(pages, r.name, present(pagemap, Math.max(cursor, r.start), to, page));
                    cursor = to;
                }
                if (cursor < end) {
                    add(pages, name, present(pagemap, cursor, end, page));
                }
            }
        }
        Map<String, Long> kib = new LinkedHashMap<>();
        pages.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> kib.put(e.getKey(), e.getValue() * page / 1024));
        return kib;
    }

    private static final Pattern CATEGORY = Pattern.compile("^-\\s+(.+?) \\(reserved=");
    private static final Pattern MALLOC = Pattern.compile("\\((?:malloc|arena)=(\\d+)KB");

    /**
     * Heap-allocated (malloc and arena) KiB per category from {@code VM.native_memory summary}:
     * what the JVM itself asked glibc for, which lives in the anonymous memory outside its map.
     */
    static Map<String, Long> mallocKib(String summary) {
        Map<String, Long> out = new LinkedHashMap<>();
        String category = null;
        for (String line : summary.split("\n")) {
            Matcher c = CATEGORY.matcher(line);
            if (c.find()) {
                category = c.group(1).trim();
                continue;
            }
            if (category == null) {
                continue;
            }
            Matcher m = MALLOC.matcher(line);
            while (m.find()) {
                out.merge(category, Long.parseLong(m.group(1)), Long::sum);
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        out.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    private static String mappingName(String path) {
        if (path.isEmpty()) {
            return "anonymous, outside the JVM's map (glibc malloc arenas, JNA/native libraries' allocations)";
        }
        if (path.equals("[heap]")) {
            return "anonymous, outside the JVM's map (glibc malloc arenas, JNA/native libraries' allocations)";
        }
        if (path.startsWith("[")) {
            return "kernel-provided " + path;
        }
        String file = Path.of(path.replace(" (deleted)", "")).getFileName().toString();
        if (file.matches("jna-?\\d+\\.tmp") || file.startsWith("libjnidispatch")) {
            return "file: JNA's native library (jnidispatch, unpacked to /tmp)";
        }
        if (file.contains("junixsocket")) {
            return "file: junixsocket's native library (unpacked to /tmp)";
        }
        if (file.startsWith("LC_") || file.equals("SYS_LC_MESSAGES") || file.equals("locale-archive")
                || file.equals("gconv-modules.cache")) {
            return "file: locale data";
        }
        if (file.endsWith(".jsa")) {
            return "file: CDS archive (" + file + ")";
        }
        if (file.matches("lib(c|m|pthread|dl|rt|z|gcc_s|stdc\\+\\+)[.-].*") || file.startsWith("ld-linux")) {
            return "file: system libraries (libc, libm, libz, ld.so, ...)";
        }
        if (file.endsWith(".so") && path.contains("/jvm/")) {
            return file.equals("libjvm.so") ? "file: libjvm.so" : "file: other JDK libraries (libjava, libnio, libzip, ...)";
        }
        return "file: " + file;
    }

    private static void add(Map<String, Long> pages, String name, long n) {
        pages.merge(name, n, Long::sum);
    }

    /** Pages in [start, end) whose pagemap entry has the present bit (63). */
    private static long present(RandomAccessFile pagemap, long start, long end, long page) throws IOException {
        long first = start / page;
        long count = (end - start) / page;
        long n = 0;
        byte[] buf = new byte[8 * 4096];
        pagemap.seek(first * 8);
        while (count > 0) {
            int want = (int) Math.min(count, buf.length / 8);
            pagemap.readFully(buf, 0, want * 8);
            for (int i = 0; i < want; i++) {
                if ((buf[i * 8 + 7] & 0x80) != 0) {
                    n++;
                }
            }
            count -= want;
        }
        return n;
    }

    public static void main(String[] args) throws IOException {
        Map<String, Long> kib = residentKib(Long.parseLong(args[0]), Files.readString(Path.of(args[1])));
        long total = 0;
        for (Map.Entry<String, Long> e : kib.entrySet()) {
            System.out.printf("%8.1f MiB  %s%n", e.getValue() / 1024.0, e.getKey());
            total += e.getValue();
        }
        System.out.printf("%8.1f MiB  total (VmRSS %d kB)%n", total / 1024.0,
                Proc.status(Long.parseLong(args[0])).getOrDefault("VmRSS", -1L));
    }
}
