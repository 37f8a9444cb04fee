import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;

/**
 * Leaker: a deliberately misbehaving child program for Sentinel's integration
 * tests, benchmark and demo. It leaks off-heap memory at a controlled rate,
 * spikes, saw-tooths, floods stdout/stderr, forks process trees, ignores
 * SIGTERM, exits with chosen codes and stamps the arrival time of signals.
 *
 * <p>Single source file, default package, JDK only. sun.misc.Unsafe and
 * sun.misc.Signal are reached reflectively so the file compiles warning-free
 * with {@code javac --release 17 -Xlint:all}. Run {@code java Leaker --help}
 * (or see README.md next to this file) for the option reference.
 *
 * <p>Note: string concatenation with '+' and lambdas are deliberately avoided
 * (StringBuilder / anonymous classes instead): both bootstrap invokedynamic
 * machinery that costs JVM start-up time and a few MiB of RSS.
 */
public final class Leaker {

    private static final long KIB = 1024L;
    private static final long MIB = 1024L * 1024L;
    private static final long GIB = 1024L * 1024L * 1024L;
    private static final long TIB = 1024L * GIB;

    /** Length of one flood line including the trailing newline. */
    private static final int FLOOD_LINE = 100;
    /** Flood writes are at most this big (= PIPE_BUF) so each write to a pipe is atomic. */
    private static final int FLOOD_BATCH = 4096;

    private static final String USAGE = String.join("\n",
        "usage: java Leaker [options]        (or: tests/leaker/leaker [options])",
        "",
        "A deliberately misbehaving process for Sentinel tests. Options combine freely.",
        "SIZE: bytes or binary units, e.g. 4096, 512K, 10M, 1.5G (K/M/G/T = KiB/MiB/GiB/TiB;",
        "      KB, KiB, MB, MiB ... are accepted and also binary).",
        "DURATION: 500ms, 3s, 2m, 1h, or bare (decimal) seconds such as 1.5.",
        "",
        "memory:",
        "  --leak RATE          leak RATE MiB/s off-heap (decimal ok: 0.5, 400; or SIZE[/s] with a",
        "                       unit, e.g. 512K/s); pages are touched so RSS really grows",
        "  --chunk SIZE         allocation granularity for --leak and --spike (default 1M)",
        "  --max SIZE           stop growing once --leak holds SIZE (keep holding it)",
        "  --sawtooth PEAK      with --leak: grow to PEAK, free all leaked chunks, repeat",
        "  --spike SIZE         allocate and touch SIZE as fast as possible, once",
        "  --spike-after DUR    when to spike, measured from start (default 0)",
        "output:",
        "  --flood RATE|max     write 'leaker <pid> flood line <n> xxx...' lines to stdout at",
        "                       RATE bytes/s (SIZE syntax, e.g. 10M) or as fast as possible",
        "  --flood-stderr       flood stderr instead of stdout (needs --flood)",
        "  --report DUR         every DUR print 'leaker pid=<pid> rss=<MiB> leaked=<MiB>' on stderr",
        "lifetime and signals:",
        "  --after DUR          exit after DUR (code 0, or the --exit code)",
        "  --exit CODE          exit with CODE (0-255): after --after, or at once without it",
        "  --ignore-term        log SIGTERM but keep running (default: log, then exit 143)",
        "  --term-exit CODE     on SIGTERM exit with CODE (0-255) instead of 143, as a program",
        "                       with a graceful-shutdown handler does",
        "  --term-file PATH     also append the SIGTERM stamp line to PATH",
        "  --pid-file PATH      every process of the tree appends its pid (one line) to PATH",
        "process tree:",
        "  --children N         start N children running the same options (without --children)",
        "  --depth D            tree depth for --children (default 1; 2 adds N*N grandchildren)",
        "  --parent-leaks       the root also runs the workload (default: it only waits)",
        "  --help, -h           print this help",
        "",
        "stderr lines: 'leaker pid=<pid> started: ...', 'leaker pid=<pid> SIGTERM at <epoch-us>',",
        "'leaker pid=<pid> got SIGINT|SIGHUP|SIGUSR1|SIGUSR2'. SIGINT exits 130; HUP/USR1/USR2",
        "are only logged. Without --after/--exit the process runs until signalled.",
        "");

    // ---------------------------------------------------------------- options
    private static double leakRate;          // bytes per second, 0 = no leak
    private static long chunk = MIB;
    private static long max;                 // 0 = unlimited
    private static long sawtooth;            // 0 = off
    private static long spike;               // 0 = off
    private static long spikeAfterNanos;
    private static boolean spikeAfterSet;
    private static boolean ignoreTerm;
    private static int children;
    private static int depth = 1;
    private static boolean depthSet;
    private static boolean parentLeaks;
    private static double floodRate = -1;    // -1 = off, 0 = max, else bytes/s
    private static boolean floodStderr;
    private static int exitCode = -1;        // -1 = not given
    private static int termExit = 143;       // the status SIGTERM ends the process with
    private static long afterNanos = -1;     // -1 = not given
    private static long reportNanos = -1;    // -1 = off
    private static String termFile;
    private static String pidFile;
    private static int level;                // internal: 0 = root of the tree

    /** Arguments handed to children: everything except tree-shape options. */
    private static final List<String> passThrough = new ArrayList<>();

    // ------------------------------------------------------------------ state
    private static long pid;
    private static long startNanos;
    private static final FileOutputStream ERR = new FileOutputStream(FileDescriptor.err);
    private static final FileOutputStream OUT = new FileOutputStream(FileDescriptor.out);

    private static volatile long leakHeld;    // bytes currently held by --leak
    private static volatile long spikeHeld;   // bytes currently held by --spike
    private static volatile long flooded;     // bytes written by --flood

    // sun.misc.Unsafe, reflectively (typed as Object so javac never names the class)
    private static Object unsafe;
    private static MethodHandle allocateMemory; // (Object,long)long
    private static MethodHandle setMemory;      // (Object,long,long,byte)void
    private static MethodHandle freeMemory;     // (Object,long)void
    private static long pageSize = 4096;
    private static long[] spikeAddrs; // spike memory is held until exit

    private Leaker() {
    }

    // =================================================================== main

    public static void main(String[] args) {
        startNanos = System.nanoTime();
        pid = ProcessHandle.current().pid();
        try {
            parse(args);
        } catch (IllegalArgumentException e) {
            writeErr(new StringBuilder("leaker: ").append(e.getMessage()).append('\n').toString());
            System.exit(2);
            return;
        }

        installSignalHandlers();
        if (reportNanos > 0 || sawtooth > 0) {
            pageSize = queryPageSize();
        }
        boolean doesWork = level > 0 || children == 0 || parentLeaks;
        if (doesWork && (leakRate > 0 || spike > 0)) {
            initUnsafe();
        }
        log(new StringBuilder("started: ").append(summary(doesWork)).toString());
        if (pidFile != null) {
            appendToFile(pidFile, new StringBuilder().append(pid).append('\n').toString());
        }
        if (children > 0) {
            startChildren();
        }
        if (exitCode >= 0 && afterNanos < 0) {
            log(new StringBuilder("exiting code=").append(exitCode).toString());
            Runtime.getRuntime().halt(exitCode);
        }

        if (doesWork) {
            if (leakRate > 0) {
                startDaemon("leak", new Runnable() {
                    @Override
                    public void run() {
                        leakLoop();
                    }
                });
            }
            if (spike > 0) {
                startDaemon("spike", new Runnable() {
                    @Override
                    public void run() {
                        spikeOnce();
                    }
                });
            }
            if (floodRate >= 0) {
                startDaemon("flood", new Runnable() {
                    @Override
                    public void run() {
                        floodLoop();
                    }
                });
            }
        }
        if (reportNanos > 0) {
            startDaemon("report", new Runnable() {
                @Override
                public void run() {
                    reportLoop();
                }
            });
        }

        // The main thread only keeps time.
        if (afterNanos >= 0) {
            sleepUntil(startNanos + afterNanos);
            int code = exitCode >= 0 ? exitCode : 0;
            if (floodRate >= 0 && doesWork) {
                long el = System.nanoTime() - startNanos;
                long f = flooded;
                log(new StringBuilder("flood wrote ").append(f).append(" bytes in ").append(millis(el)).append(" (")
                    .append(fmtRate(f / (el / 1e9))).append(" MiB/s)").toString());
            }
            log(new StringBuilder("exiting code=").append(code).append(" after ")
                .append(fmtDuration(afterNanos)).toString());
            Runtime.getRuntime().halt(code);
        }
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException ignored) {
                // keep waiting
            }
        }
    }

    private static void startDaemon(String name, Runnable r) {
        Thread t = new Thread(null, r, name, 256 * 1024);
        t.setDaemon(true);
        t.start();
    }

    // ================================================================ parsing

    private static void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String name = a;
            String inlineValue = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 2) {
                name = a.substring(0, eq);
                inlineValue = a.substring(eq + 1);
            }
            boolean takesValue;
            switch (name) {
                case "--help": case "-h":
                    writeOut(USAGE);
                    System.exit(0);
                    return;
                case "--ignore-term": case "--parent-leaks": case "--flood-stderr":
                    takesValue = false;
                    break;
                case "--leak": case "--chunk": case "--max": case "--sawtooth": case "--spike":
                case "--spike-after": case "--children": case "--depth": case "--flood":
                case "--exit": case "--after": case "--report": case "--term-file": case "--term-exit":
                case "--pid-file": case "--level":
                    takesValue = true;
                    break;
                default:
                    throw new IllegalArgumentException(new StringBuilder("unknown option '")
                        .append(a).append("' (try --help)").toString());
            }
            String v = null;
            if (takesValue) {
                if (inlineValue != null) {
                    v = inlineValue;
                } else if (i + 1 < args.length) {
                    v = args[++i];
                } else {
                    throw new IllegalArgumentException(new StringBuilder("option ").append(name)
                        .append(" needs a value (try --help)").toString());
                }
            } else if (inlineValue != null) {
                throw new IllegalArgumentException(new StringBuilder("option ").append(name)
                    .append(" takes no value").toString());
            }
            boolean pass = true;
            switch (name) {
                case "--ignore-term": ignoreTerm = true; break;
                case "--parent-leaks": parentLeaks = true; pass = false; break;
                case "--flood-stderr": floodStderr = true; break;
                case "--leak": leakRate = parseRate(name, v); break;
                case "--chunk":
                    chunk = parseSize(name, v);
                    if (chunk < 1) {
                        throw bad(name, v, "must be at least 1 byte");
                    }
                    break;
                case "--max": max = positiveSize(name, v); break;
                case "--sawtooth": sawtooth = positiveSize(name, v); break;
                case "--spike": spike = positiveSize(name, v); break;
                case "--spike-after": spikeAfterNanos = parseDuration(name, v); spikeAfterSet = true; break;
                case "--children":
                    children = parseInt(name, v, 0, 1000);
                    pass = false;
                    break;
                case "--depth":
                    depth = parseInt(name, v, 1, 16);
                    depthSet = true;
                    pass = false;
                    break;
                case "--flood":
                    if (v.equalsIgnoreCase("max")) {
                        floodRate = 0;
                    } else {
                        String s = v;
                        if (s.toLowerCase(Locale.ROOT).endsWith("/s")) {
                            s = s.substring(0, s.length() - 2);
                        }
                        long r = parseSize(name, s);
                        if (r < 1) {
                            throw bad(name, v, "must be 'max' or a positive rate in bytes/s such as 10M");
                        }
                        floodRate = r;
                    }
                    break;
                case "--exit": exitCode = parseInt(name, v, 0, 255); break;
                case "--term-exit": termExit = parseInt(name, v, 0, 255); break;
                case "--after": afterNanos = parseDuration(name, v); break;
                case "--report":
                    reportNanos = parseDuration(name, v);
                    if (reportNanos < 1_000_000L) {
                        throw bad(name, v, "must be at least 1ms");
                    }
                    break;
                case "--term-file": termFile = nonEmpty(name, v); break;
                case "--pid-file": pidFile = nonEmpty(name, v); break;
                case "--level": level = parseInt(name, v, 0, 64); pass = false; break;
                default: throw new IllegalStateException(name);
            }
            if (pass) {
                passThrough.add(name);
                if (takesValue) {
                    passThrough.add(v);
                }
            }
        }
        if (max > 0 && leakRate <= 0) {
            throw new IllegalArgumentException("--max needs --leak RATE");
        }
        if (sawtooth > 0 && leakRate <= 0) {
            throw new IllegalArgumentException("--sawtooth needs --leak RATE");
        }
        if (spikeAfterSet && spike <= 0) {
            throw new IllegalArgumentException("--spike-after needs --spike SIZE");
        }
        if (floodStderr && floodRate < 0) {
            throw new IllegalArgumentException("--flood-stderr needs --flood RATE|max");
        }
        if (depthSet && children <= 0) {
            throw new IllegalArgumentException("--depth needs --children N (N >= 1)");
        }
        if (children > 0) {
            long total = 1;
            long layer = 1;
            for (int d = 0; d < depth; d++) {
                layer *= children;
                total += layer;
                if (total > 10_000) {
                    throw new IllegalArgumentException(
                        "--children/--depth would start more than 10000 processes");
                }
            }
        }
    }

    private static IllegalArgumentException bad(String opt, String v, String why) {
        return new IllegalArgumentException(new StringBuilder("bad value '").append(v).append("' for ")
            .append(opt).append(": ").append(why).toString());
    }

    private static String nonEmpty(String opt, String v) {
        if (v.isEmpty()) {
            throw bad(opt, v, "must not be empty");
        }
        return v;
    }

    private static int parseInt(String opt, String v, int lo, int hi) {
        int n;
        try {
            n = Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw bad(opt, v, new StringBuilder("expected an integer from ").append(lo).append(" to ")
                .append(hi).toString());
        }
        if (n < lo || n > hi) {
            throw bad(opt, v, new StringBuilder("expected an integer from ").append(lo).append(" to ")
                .append(hi).toString());
        }
        return n;
    }

    /** Parses a non-negative decimal number (digits with an optional fraction), or returns NaN. */
    private static double parseNumber(String s) {
        if (s.isEmpty()) {
            return Double.NaN;
        }
        int dots = 0;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c >= '0' && c <= '9') {
                digits++;
            } else {
                return Double.NaN;
            }
        }
        if (dots > 1 || digits == 0) {
            return Double.NaN;
        }
        return Double.parseDouble(s);
    }

    /** Splits "1.5G" into number and unit; returns the index where the unit starts. */
    private static int unitStart(String s) {
        int i = 0;
        while (i < s.length() && ((s.charAt(i) >= '0' && s.charAt(i) <= '9') || s.charAt(i) == '.')) {
            i++;
        }
        return i;
    }

    private static long parseSize(String opt, String v) {
        String s = v.trim();
        int u = unitStart(s);
        double n = parseNumber(s.substring(0, u));
        String unit = s.substring(u).trim().toLowerCase(Locale.ROOT);
        long mult;
        switch (unit) {
            case "": case "b": mult = 1; break;
            case "k": case "kb": case "kib": mult = KIB; break;
            case "m": case "mb": case "mib": mult = MIB; break;
            case "g": case "gb": case "gib": mult = GIB; break;
            case "t": case "tb": case "tib": mult = TIB; break;
            default: mult = -1;
        }
        if (Double.isNaN(n) || mult < 0) {
            throw bad(opt, v, "expected a size such as 4096, 512K, 10M or 1.5G");
        }
        double bytes = n * mult;
        if (bytes > 64.0 * TIB) {
            throw bad(opt, v, "size is unreasonably large");
        }
        return Math.round(bytes);
    }

    private static long positiveSize(String opt, String v) {
        long n = parseSize(opt, v);
        if (n < 1) {
            throw bad(opt, v, "must be greater than zero");
        }
        return n;
    }

    /** --leak: a bare number is MiB/s; a number with a size unit (optionally "/s") is that size per second. */
    private static double parseRate(String opt, String v) {
        String s = v.trim();
        if (s.toLowerCase(Locale.ROOT).endsWith("/s")) {
            s = s.substring(0, s.length() - 2);
        }
        double bytesPerSec;
        double n = parseNumber(s);
        if (!Double.isNaN(n)) {
            bytesPerSec = n * MIB;
        } else {
            try {
                bytesPerSec = parseSize(opt, s);
            } catch (IllegalArgumentException e) {
                throw bad(opt, v, "expected MiB per second such as 50 or 0.5 (or a size per second such as 512K)");
            }
        }
        if (!(bytesPerSec > 0) || bytesPerSec > 64.0 * TIB) {
            throw bad(opt, v, "rate must be greater than zero and sane");
        }
        return bytesPerSec;
    }

    private static long parseDuration(String opt, String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        int u = unitStart(s);
        double n = parseNumber(s.substring(0, u));
        String unit = s.substring(u).trim();
        double mult;
        switch (unit) {
            case "": case "s": case "sec": mult = 1e9; break;
            case "ms": mult = 1e6; break;
            case "us": mult = 1e3; break;
            case "m": case "min": mult = 60e9; break;
            case "h": mult = 3600e9; break;
            default: mult = -1;
        }
        if (Double.isNaN(n) || mult < 0) {
            throw bad(opt, v, "expected a duration such as 500ms, 3s, 2m or 1.5");
        }
        double ns = n * mult;
        if (ns > 1e18) {
            throw bad(opt, v, "duration is unreasonably long");
        }
        return Math.round(ns);
    }

    private static String summary(boolean doesWork) {
        StringBuilder sb = new StringBuilder();
        sb.append(level == 0 ? "root" : "child").append(" level=").append(level);
        if (level > 0) {
            ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
            sb.append(" ppid=").append(parent == null ? -1L : parent.pid());
        }
        if (children > 0) {
            sb.append(" children=").append(children).append(" depth=").append(depth);
        }
        if (!doesWork) {
            sb.append(" idle-parent");
        } else {
            if (leakRate > 0) {
                sb.append(" leak=").append(fmtRate(leakRate)).append("MiB/s chunk=").append(fmtSize(chunk));
                if (max > 0) {
                    sb.append(" max=").append(fmtSize(max));
                }
                if (sawtooth > 0) {
                    sb.append(" sawtooth=").append(fmtSize(sawtooth));
                }
            }
            if (spike > 0) {
                sb.append(" spike=").append(fmtSize(spike)).append(" spike-after=")
                    .append(fmtDuration(spikeAfterNanos));
            }
            if (floodRate >= 0) {
                sb.append(" flood=").append(floodRate == 0 ? "max" : fmtSize((long) floodRate).concat("/s"))
                    .append(floodStderr ? " (stderr)" : " (stdout)");
            }
        }
        if (reportNanos > 0) {
            sb.append(" report=").append(fmtDuration(reportNanos));
        }
        if (afterNanos >= 0) {
            sb.append(" after=").append(fmtDuration(afterNanos));
        }
        if (exitCode >= 0) {
            sb.append(" exit=").append(exitCode);
        }
        if (ignoreTerm) {
            sb.append(" ignore-term");
        }
        if (termExit != 143) {
            sb.append(" term-exit=").append(termExit);
        }
        if (termFile != null) {
            sb.append(" term-file=").append(termFile);
        }
        if (pidFile != null) {
            sb.append(" pid-file=").append(pidFile);
        }
        return sb.toString();
    }

    // ============================================================ formatting

    /** Bytes as MiB with one decimal, e.g. 12.5 (no Formatter: keeps class loading down). */
    private static String mib(long bytes) {
        long tenths = Math.round(bytes * 10.0 / MIB);
        return new StringBuilder().append(tenths / 10).append('.').append(tenths % 10).toString();
    }

    private static String fmtRate(double bytesPerSec) {
        long hundredths = Math.round(bytesPerSec * 100.0 / MIB);
        StringBuilder sb = new StringBuilder().append(hundredths / 100);
        long frac = hundredths % 100;
        if (frac != 0) {
            sb.append('.').append(frac / 10);
            if (frac % 10 != 0) {
                sb.append(frac % 10);
            }
        }
        return sb.toString();
    }

    private static String fmtSize(long bytes) {
        if (bytes >= GIB && bytes % GIB == 0) {
            return new StringBuilder().append(bytes / GIB).append('G').toString();
        } else if (bytes >= MIB && bytes % MIB == 0) {
            return new StringBuilder().append(bytes / MIB).append('M').toString();
        } else if (bytes >= KIB && bytes % KIB == 0) {
            return new StringBuilder().append(bytes / KIB).append('K').toString();
        }
        return Long.toString(bytes);
    }

    private static String fmtDuration(long nanos) {
        if (nanos % 1_000_000_000L == 0) {
            return new StringBuilder().append(nanos / 1_000_000_000L).append('s').toString();
        } else if (nanos % 1_000_000L == 0) {
            return new StringBuilder().append(nanos / 1_000_000L).append("ms").toString();
        }
        return new StringBuilder().append(nanos / 1000L).append("us").toString();
    }

    private static String millis(long nanos) {
        return new StringBuilder().append(nanos / 1_000_000L).append('.')
            .append((nanos / 100_000L) % 10).append("ms").toString();
    }

    // ================================================================ output

    private static void writeErr(String s) {
        try {
            ERR.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // stderr is gone: nothing sensible to do
        }
    }

    private static void writeOut(String s) {
        try {
            OUT.write(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException ignored) {
            // stdout is gone
        }
    }

    /** One line "leaker pid=<pid> msg" on stderr, in a single write(2). */
    private static void log(String msg) {
        writeErr(new StringBuilder(msg.length() + 32).append("leaker pid=").append(pid).append(' ')
            .append(msg).append('\n').toString());
    }

    private static void appendToFile(String path, String text) {
        try (FileOutputStream f = new FileOutputStream(path, true)) {
            f.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            log(new StringBuilder("cannot append to ").append(path).append(": ").append(e.getMessage()).toString());
        }
    }

    // =============================================================== signals

    private static void installSignalHandlers() {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
            Method getName = signalClass.getMethod("getName");
            InvocationHandler ih = new InvocationHandler() {
                @Override
                public Object invoke(Object proxy, Method m, Object[] a) throws Throwable {
                    if (m.getName().equals("handle") && a != null && a.length == 1) {
                        onSignal((String) getName.invoke(a[0]));
                        return null;
                    }
                    switch (m.getName()) {
                        case "hashCode": return System.identityHashCode(proxy);
                        case "equals": return proxy == a[0];
                        case "toString": return "LeakerSignalHandler";
                        default: return null;
                    }
                }
            };
            Object sigIgn = handlerClass.getField("SIG_IGN").get(null);
            Object handler = Proxy.newProxyInstance(Leaker.class.getClassLoader(),
                new Class<?>[] {handlerClass}, ih);
            for (String name : new String[] {"TERM", "INT", "HUP", "USR1", "USR2"}) {
                try {
                    Object sig = signalClass.getConstructor(String.class).newInstance(name);
                    Object old = handle.invoke(null, sig, handler);
                    if (old == sigIgn) {
                        // The JVM leaves signals that were ignored at exec time ignored (nohup semantics);
                        // e.g. "cmd &" in a non-interactive shell starts cmd with SIGINT ignored.
                        log(new StringBuilder("SIG").append(name)
                            .append(" was ignored when this process started; it stays ignored").toString());
                    }
                } catch (ReflectiveOperationException | RuntimeException e) {
                    Throwable c = e.getCause() != null ? e.getCause() : e;
                    log(new StringBuilder("cannot handle SIG").append(name).append(": ").append(c).toString());
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            log(new StringBuilder("signal handlers unavailable: ").append(e).toString());
        }
    }

    /** Runs on a fresh thread the JVM starts for each delivered signal. */
    private static void onSignal(String name) {
        switch (name) {
            case "TERM": {
                Instant now = Instant.now();
                long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
                String line = new StringBuilder("leaker pid=").append(pid).append(" SIGTERM at ")
                    .append(micros).append('\n').toString();
                if (!ignoreTerm) {
                    haltSoon(termExit);
                }
                if (termFile != null) {
                    appendToFile(termFile, line);
                }
                writeErr(line);
                if (!ignoreTerm) {
                    Runtime.getRuntime().halt(termExit);
                }
                break;
            }
            case "INT":
                haltSoon(130);
                log("got SIGINT");
                Runtime.getRuntime().halt(130);
                break;
            default:
                log(new StringBuilder("got SIG").append(name).toString());
        }
    }

    /** Guarantees the exit even if writing the log line blocks (e.g. stderr is a full pipe). */
    private static void haltSoon(int code) {
        startDaemon("halt", new Runnable() {
            @Override
            public void run() {
                LockSupport.parkNanos(250_000_000L);
                Runtime.getRuntime().halt(code);
            }
        });
    }

    // ========================================================= process tree

    private static void startChildren() {
        List<String> cmd = new ArrayList<>();
        ProcessHandle.Info info = ProcessHandle.current().info();
        cmd.add(info.command().orElse(System.getProperty("java.home").concat("/bin/java")));
        cmd.addAll(jvmOptions(info.arguments().orElse(new String[0])));
        if (Runtime.version().feature() >= 23 && !containsPrefix(cmd, "--sun-misc-unsafe-memory-access")) {
            cmd.add("--sun-misc-unsafe-memory-access=allow"); // no JEP 471/498 warnings in children
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("Leaker");
        cmd.addAll(passThrough);
        if (depth > 1) {
            cmd.add("--children");
            cmd.add(Integer.toString(children));
            cmd.add("--depth");
            cmd.add(Integer.toString(depth - 1));
        }
        cmd.add("--level");
        cmd.add(Integer.toString(level + 1));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        for (int i = 0; i < children; i++) {
            try {
                final Process p = pb.start();
                log(new StringBuilder("started child pid=").append(p.pid()).toString());
                p.onExit().thenAccept(new java.util.function.Consumer<Process>() {
                    @Override
                    public void accept(Process q) {
                        log(new StringBuilder("child pid=").append(q.pid()).append(" exited code=")
                            .append(q.exitValue()).toString());
                    }
                });
            } catch (IOException e) {
                log(new StringBuilder("cannot start child: ").append(e.getMessage()).toString());
            }
        }
    }

    private static boolean containsPrefix(List<String> list, String prefix) {
        for (String s : list) {
            if (s.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** The JVM options of this process (e.g. -XX:+UseSerialGC), minus class path and main class. */
    private static List<String> jvmOptions(String[] argv) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) {
                i++;
            } else if (a.startsWith("--class-path=")) {
                continue;
            } else if (a.equals("--add-opens") || a.equals("--add-exports") || a.equals("--add-reads")
                || a.equals("--add-modules") || a.equals("--limit-modules") || a.equals("--patch-module")
                || a.equals("--module-path") || a.equals("-p") || a.equals("--upgrade-module-path")
                || a.equals("--enable-native-access")) {
                out.add(a);
                if (i + 1 < argv.length) {
                    out.add(argv[++i]);
                }
            } else if (a.startsWith("-") && !a.equals("-jar") && !a.equals("-m") && !a.equals("--module")) {
                out.add(a);
            } else {
                break; // main class (or -jar/-m): JVM options end here
            }
        }
        return out;
    }

    // ================================================================ memory

    private static void initUnsafe() {
        try {
            Class<?> uc = Class.forName("sun.misc.Unsafe");
            Field f = uc.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = f.get(null);
            MethodHandles.Lookup lk = MethodHandles.lookup();
            allocateMemory = lk.unreflect(uc.getMethod("allocateMemory", long.class))
                .asType(MethodType.methodType(long.class, Object.class, long.class));
            setMemory = lk.unreflect(uc.getMethod("setMemory", long.class, long.class, byte.class))
                .asType(MethodType.methodType(void.class, Object.class, long.class, long.class, byte.class));
            freeMemory = lk.unreflect(uc.getMethod("freeMemory", long.class))
                .asType(MethodType.methodType(void.class, Object.class, long.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            writeErr(new StringBuilder("leaker: sun.misc.Unsafe is not available: ").append(e)
                .append('\n').toString());
            System.exit(2);
        }
    }

    /** malloc (pages stay untouched, hence not resident); 0 if malloc failed. */
    private static long alloc(long size) {
        try {
            return (long) allocateMemory.invokeExact(unsafe, size);
        } catch (OutOfMemoryError e) {
            return 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Writes a non-zero byte to every byte of [addr, addr+size) so all pages become resident. */
    private static void touch(long addr, long size) {
        try {
            setMemory.invokeExact(unsafe, addr, size, (byte) 0x5A);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** malloc + touch every page; 0 if malloc failed. */
    private static long allocTouched(long size) {
        long addr = alloc(size);
        if (addr != 0) {
            touch(addr, size);
        }
        return addr;
    }

    private static void free(long addr) {
        try {
            freeMemory.invokeExact(unsafe, addr);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static long[] grow(long[] a) {
        long[] b = new long[a.length * 2];
        System.arraycopy(a, 0, b, 0, a.length);
        return b;
    }

    /** Waits until the pacing schedule allows 'bytes' cumulative bytes (schedule starts at process start). */
    private static void waitForSchedule(long bytes, double bytesPerNano) {
        long due = startNanos + (long) (bytes / bytesPerNano);
        long wait;
        while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static void logMaxReached(long held) {
        long el = System.nanoTime() - startNanos;
        log(new StringBuilder("max reached leaked=").append(mib(held)).append("MiB after ")
            .append(millis(el)).append(" (").append(fmtRate(held / (el / 1e9))).append(" MiB/s)")
            .toString());
    }

    /** --leak without --sawtooth: one malloc'd, touched block per chunk, held forever. */
    private static void leakLoop() {
        if (sawtooth > 0) {
            sawtoothLoop();
            return;
        }
        final double bytesPerNano = leakRate / 1e9;
        final long limit = max > 0 ? max : Long.MAX_VALUE;
        long[] addrs = new long[1024];
        int n = 0;
        long held = 0;
        while (true) {
            if (held >= limit) {
                logMaxReached(held);
                return; // keep holding; the process stays alive
            }
            long size = Math.min(chunk, limit - held);
            waitForSchedule(held + size, bytesPerNano);
            long addr = allocTouched(size);
            if (addr == 0) {
                log("allocation failed (malloc returned NULL); holding what we have");
                return;
            }
            if (n == addrs.length) {
                addrs = grow(addrs);
            }
            addrs[n++] = addr;
            held += size;
            leakHeld = held;
        }
    }

    /**
     * --sawtooth: reserve one block of max(PEAK, 48 MiB) with a single malloc and touch it chunk
     * by chunk at the leak rate; at PEAK free the whole block. glibc serves a request above its
     * largest possible mmap threshold (32 MiB) with its own mmap and munmaps it on free, so RSS
     * drops reliably every cycle (many small chunks would land in malloc arenas after the first
     * cycle, whose memory glibc does not always give back). Untouched pages are not resident.
     */
    private static void sawtoothLoop() {
        final double bytesPerNano = leakRate / 1e9;
        final long limit = max > 0 ? Math.min(max, sawtooth) : sawtooth;
        final long blockSize = Math.max(sawtooth, 48 * MIB);
        byte[] statm = new byte[128];
        long block = 0;
        long held = 0;
        long cumulative = 0; // bytes touched since start; pacing runs on this, across cycles
        int cycle = 0;
        while (true) {
            if (held >= limit) {
                if (held < sawtooth) {
                    logMaxReached(held);
                    return; // --max below PEAK: hold
                }
                long t = System.nanoTime();
                free(block);
                block = 0;
                held = 0;
                leakHeld = 0;
                long took = System.nanoTime() - t;
                cycle++;
                long rss = readRss(statm);
                log(new StringBuilder("sawtooth peak ").append(mib(sawtooth)).append("MiB reached, freed all (cycle ")
                    .append(cycle).append(", free took ").append(millis(took)).append(", rss now ")
                    .append(rss < 0 ? "?" : mib(rss)).append("MiB)").toString());
                continue;
            }
            if (block == 0) {
                block = alloc(blockSize);
                if (block == 0) {
                    log("allocation failed (malloc returned NULL); stopping the sawtooth");
                    return;
                }
            }
            long size = Math.min(chunk, limit - held);
            waitForSchedule(cumulative + size, bytesPerNano);
            touch(block + held, size);
            held += size;
            cumulative += size;
            leakHeld = held;
        }
    }

    private static void spikeOnce() {
        sleepUntil(startNanos + spikeAfterNanos);
        long t = System.nanoTime();
        long done = 0;
        long[] addrs = new long[16];
        int n = 0;
        while (done < spike) {
            long size = Math.min(chunk, spike - done);
            long addr = allocTouched(size);
            if (addr == 0) {
                log("spike allocation failed (malloc returned NULL)");
                break;
            }
            if (n == addrs.length) {
                addrs = grow(addrs);
            }
            addrs[n++] = addr;
            done += size;
            spikeHeld = done;
        }
        log(new StringBuilder("spike of ").append(mib(done)).append("MiB done in ")
            .append(millis(System.nanoTime() - t)).toString());
        spikeAddrs = addrs;
    }

    // ================================================================= flood

    private static void floodLoop() {
        FileOutputStream out = floodStderr ? ERR : OUT;
        byte[] buf = new byte[FLOOD_BATCH];
        int linesPerBatch = FLOOD_BATCH / FLOOD_LINE;
        // Template line: "leaker <pid> flood line " + number + ' ' + x... + '\n'
        byte[] prefix = new StringBuilder("leaker ").append(pid).append(" flood line ").toString()
            .getBytes(StandardCharsets.US_ASCII);
        byte[] digits = new byte[20];
        long lineNo = 0;
        long written = 0;
        final double bytesPerNano = floodRate / 1e9;
        final long t0 = System.nanoTime();
        try {
            while (true) {
                int lines = linesPerBatch;
                if (floodRate > 0) {
                    long allowed = (long) ((System.nanoTime() - t0) * bytesPerNano) - written;
                    if (allowed < FLOOD_LINE) {
                        long due = t0 + (long) ((written + FLOOD_LINE) / bytesPerNano);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        continue;
                    }
                    lines = (int) Math.min(linesPerBatch, allowed / FLOOD_LINE);
                }
                int pos = 0;
                for (int l = 0; l < lines; l++) {
                    int start = pos;
                    System.arraycopy(prefix, 0, buf, pos, prefix.length);
                    pos += prefix.length;
                    long v = ++lineNo;
                    int nd = 0;
                    do {
                        digits[nd++] = (byte) ('0' + (v % 10));
                        v /= 10;
                    } while (v != 0);
                    while (nd > 0) {
                        buf[pos++] = digits[--nd];
                    }
                    buf[pos++] = ' ';
                    int end = start + FLOOD_LINE - 1;
                    while (pos < end) {
                        buf[pos++] = 'x';
                    }
                    buf[pos++] = '\n';
                }
                out.write(buf, 0, pos);
                written += pos;
                flooded = written;
            }
        } catch (IOException e) {
            log(new StringBuilder("flood stopped after ").append(written).append(" bytes: ")
                .append(e.getMessage()).toString());
        }
    }

    // ================================================================ report

    private static void reportLoop() {
        byte[] buf = new byte[128];
        long next = startNanos;
        while (true) {
            next += reportNanos;
            sleepUntil(next);
            long rss = readRss(buf);
            log(new StringBuilder("rss=").append(rss < 0 ? "?" : mib(rss)).append(" leaked=")
                .append(mib(leakHeld + spikeHeld)).toString());
        }
    }

    /** Page size via Unsafe.pageSize() (reflectively); 4096 if unavailable. */
    private static long queryPageSize() {
        try {
            Class<?> uc = Class.forName("sun.misc.Unsafe");
            Field f = uc.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            return ((Number) uc.getMethod("pageSize").invoke(f.get(null))).longValue();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 4096;
        }
    }

    /** Resident set size in bytes from /proc/self/statm (2nd field, in pages), -1 if unavailable. */
    private static long readRss(byte[] buf) {
        int len = 0;
        try (FileInputStream in = new FileInputStream("/proc/self/statm")) {
            int r;
            while (len < buf.length && (r = in.read(buf, len, buf.length - len)) > 0) {
                len += r;
            }
        } catch (IOException e) {
            return -1;
        }
        int i = 0;
        while (i < len && buf[i] != ' ') {
            i++;
        }
        i++;
        long pages = 0;
        boolean any = false;
        while (i < len && buf[i] >= '0' && buf[i] <= '9') {
            pages = pages * 10 + (buf[i] - '0');
            i++;
            any = true;
        }
        return any ? pages * pageSize : -1;
    }

    // ================================================================= misc

    private static void sleepUntil(long deadline) {
        long wait;
        while ((wait = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }
}
