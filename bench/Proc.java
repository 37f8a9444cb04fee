import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what the benchmark needs from /proc, from outside the measured processes. Every method
 * expects the process to vanish at any moment and then returns -1, null or an empty result.
 */
final class Proc {

    private static final long PAGE_SIZE = detectPageSize();

    private Proc() {
    }

    /** Bytes per page, from this JVM's own VmRSS (kB) and statm resident (pages); 4096 if unclear. */
    static long pageSize() {
        return PAGE_SIZE;
    }

    private static long detectPageSize() {
        try {
            long[] statm = statm(ProcessHandle.current().pid());
            long rssKb = status(ProcessHandle.current().pid()).getOrDefault("VmRSS", -1L);
            if (statm != null && statm[1] > 0 && rssKb > 0) {
                long guess = rssKb * 1024 / statm[1];
                for (long p : new long[] {4096, 16384, 65536}) {
                    if (Math.abs(guess - p) < p / 4) {
                        return p;
                    }
                }
            }
        } catch (RuntimeException ignored) {
            // fall through
        }
        return 4096;
    }

    static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The fields of /proc/PID/statm (pages), or null if the process is gone. */
    static long[] statm(long pid) {
        String s = read(Path.of("/proc", Long.toString(pid), "statm"));
        if (s == null) {
            return null;
        }
        String[] f = s.trim().split(" ");
        long[] out = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Long.parseLong(f[i]);
        }
        return out;
    }

    /** The fields of /proc/PID/stat after the command name; index 0 is field 3 (state). */
    static String[] statFields(long pid) {
        String s = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (s == null) {
            return null;
        }
        int close = s.lastIndexOf(')');
        return s.substring(close + 2).trim().split(" ");
    }

    /** utime + stime of the whole thread group, in clock ticks (1/100 s), or -1. */
    static long cpuTicks(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static long pgid(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[2]);
    }

    static String comm(long pid) {
        String s = read(Path.of("/proc", Long.toString(pid), "comm"));
        return s == null ? null : s.trim();
    }

    static String cmdline(long pid) {
        try {
            byte[] b = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(b, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * On-CPU time of every thread of the process, in nanoseconds (field 1 of
     * /proc/PID/task/TID/schedstat), keyed by thread id. Far finer than the 10 ms clock ticks
     * of utime/stime; a thread that ended between two readings takes its time with it.
     */
    static Map<Long, Long> threadCpuNanos(long pid) {
        Map<Long, Long> out = new LinkedHashMap<>();
        for (long tid : tasks(pid)) {
            String s = read(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "schedstat"));
            if (s != null) {
                out.put(tid, Long.parseLong(s.trim().split(" ")[0]));
            }
        }
        return out;
    }

    /** CPU nanoseconds used between two {@link #threadCpuNanos} readings (threads born in between count fully). */
    static long cpuNanosBetween(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    /** The name (comm) of every thread of the process, by thread id. */
    static Map<Long, String> threadNames(long pid) {
        Map<Long, String> out = new LinkedHashMap<>();
        for (long tid : tasks(pid)) {
            String c = read(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "comm"));
            if (c != null) {
                out.put(tid, c.strip());
            }
        }
        return out;
    }

    /** Thread ids of the JIT compiler threads (comm "C1 CompilerThre..." / "C2 CompilerThre..."). */
    static java.util.Set<Long> compilerThreads(long pid) {
        java.util.Set<Long> out = new java.util.HashSet<>();
        for (long tid : tasks(pid)) {
            String c = read(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "comm"));
            if (c != null && c.matches("C[12] CompilerThre.*\\s*")) {
                out.add(tid);
            }
        }
        return out;
    }

    /** As {@link #cpuNanosBetween}, counting only the given threads. */
    static long cpuNanosBetween(Map<Long, Long> before, Map<Long, Long> after, java.util.Set<Long> only) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) {
            if (only.contains(e.getKey())) {
                sum += e.getValue() - before.getOrDefault(e.getKey(), 0L);
            }
        }
        return sum;
    }

    /** Fields of /proc/PID/status with a kB unit (VmRSS, RssAnon, ...), in kB. */
    /** /proc/PID/smaps_rollup's kB fields (Rss, Pss, ...), empty if the process is gone. */
    static Map<String, Long> smapsRollup(long pid) {
        Map<String, Long> out = new LinkedHashMap<>();
        String s = read(Path.of("/proc", Long.toString(pid), "smaps_rollup"));
        if (s == null) {
            return out;
        }
        for (String line : s.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.endsWith(" kB")) {
                out.put(line.substring(0, colon), Long.parseLong(line.substring(colon + 1, line.length() - 3).trim()));
            }
        }
        return out;
    }

    static Map<String, Long> status(long pid) {
        Map<String, Long> out = new LinkedHashMap<>();
        String s = read(Path.of("/proc", Long.toString(pid), "status"));
        if (s == null) {
            return out;
        }
        for (String line : s.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.endsWith(" kB")) {
                String v = line.substring(colon + 1, line.length() - 3).trim();
                out.put(line.substring(0, colon), Long.parseLong(v));
            } else if (colon > 0 && line.startsWith("Threads")) {
                out.put("Threads", Long.parseLong(line.substring(colon + 1).trim()));
            }
        }
        return out;
    }

    static long[] tasks(long pid) {
        List<Long> list = new ArrayList<>();
        try (DirectoryStream<Path> d = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path p : d) {
                list.add(Long.parseLong(p.getFileName().toString()));
            }
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
        return list.stream().mapToLong(Long::longValue).toArray();
    }

    /** Direct children of a process, from /proc/PID/task/TID/children of all its threads. */
    static List<Long> children(long pid) {
        List<Long> out = new ArrayList<>();
        for (long tid : tasks(pid)) {
            String s = read(Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), "children"));
            if (s == null) {
                continue;
            }
            for (String w : s.trim().split(" ")) {
                if (!w.isEmpty()) {
                    out.add(Long.parseLong(w));
                }
            }
        }
        return out;
    }

    /** The process and all its descendants, parents before children. */
    static List<Long> tree(long root) {
        List<Long> out = new ArrayList<>();
        out.add(root);
        for (int i = 0; i < out.size(); i++) {
            out.addAll(children(out.get(i)));
        }
        return out;
    }

    static boolean alive(long pid) {
        String[] f = statFields(pid);
        return f != null && !f[0].equals("Z") && !f[0].equals("X");
    }

    /** Sends SIGKILL to a process and all its descendants (children first are found before parents die). */
    static void killTree(long root) {
        List<Long> all = tree(root);
        for (int i = all.size() - 1; i >= 0; i--) {
            ProcessHandle.of(all.get(i)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Sends a signal by name through kill(1), e.g. "TERM". */
    static void signal(long pid, String name) {
        try {
            new ProcessBuilder("kill", "-" + name, Long.toString(pid)).start().waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A /proc file kept open and re-read with pread, as a sampler does: a few microseconds per
     * read instead of an open/close per poll.
     */
    static final class OpenFile implements AutoCloseable {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(4096);

        private OpenFile(FileChannel ch) {
            this.ch = ch;
        }

        static OpenFile open(Path p) {
            try {
                return new OpenFile(FileChannel.open(p, StandardOpenOption.READ));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** The second number of the file (statm's resident pages), or -1 if the process is gone. */
        long secondNumber() {
            try {
                buf.clear();
                int n = ch.read(buf, 0);
                if (n <= 0) {
                    return -1;
                }
                byte[] b = buf.array();
                int i = 0;
                while (i < n && b[i] != ' ') {
                    i++;
                }
                i++;
                long v = 0;
                boolean any = false;
                while (i < n && b[i] >= '0' && b[i] <= '9') {
                    v = v * 10 + (b[i] - '0');
                    i++;
                    any = true;
                }
                return any ? v : -1;
            } catch (IOException e) {
                return -1;
            }
        }

        @Override
        public void close() {
            try {
                ch.close();
            } catch (IOException ignored) {
                // a /proc file
            }
        }
    }
}
