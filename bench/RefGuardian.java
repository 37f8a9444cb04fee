import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

/**
 * The reference guardian: what the original prototype did, and nothing more, so that every
 * benchmark run can put Sentinel's figures beside a naive poller's measured on the same machine
 * in the same minute.
 *
 * <p>It starts the command, reads the RSS of the FIRST pid only (/proc/PID/statm) every 0.5 s,
 * and when it exceeds the limit sends SIGTERM to that pid, sleeps 3 s, and sends SIGKILL if the
 * process is still there. It exits with the child's status (128+N for a signal).
 *
 * <p>{@code java -cp CLASSES RefGuardian LIMIT_MIB -- COMMAND [ARGS...]}
 */
public final class RefGuardian {

    private static final long POLL_MILLIS = 500;
    private static final long GRACE_MILLIS = 3000;

    private RefGuardian() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int dash = Arrays.asList(args).indexOf("--");
        if (args.length < 3 || dash != 1) {
            System.err.println("usage: RefGuardian LIMIT_MIB -- COMMAND [ARGS...]");
            System.exit(2);
        }
        long limit = Long.parseLong(args[0]) << 20;
        List<String> command = Arrays.asList(args).subList(2, args.length);
        Process child = new ProcessBuilder(command).inheritIO().start();
        long pid = child.pid();
        long page = Proc.pageSize();
        System.err.println(LocalTime.now() + " ref: started pid " + pid + " (limit " + (limit >> 20) + " MiB)");
        while (child.isAlive()) {
            long rss = rssPages(pid) * page;
            if (rss > limit) {
                System.err.println(LocalTime.now() + " ref: RSS " + (rss >> 20) + " MiB > limit; SIGTERM");
                child.destroy();
                Thread.sleep(GRACE_MILLIS);
                if (child.isAlive()) {
                    System.err.println(LocalTime.now() + " ref: still running; SIGKILL");
                    child.destroyForcibly();
                }
                break;
            }
            Thread.sleep(POLL_MILLIS);
        }
        System.exit(child.waitFor());
    }

    private static long rssPages(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/statm"), StandardCharsets.ISO_8859_1);
            return Long.parseLong(s.split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
