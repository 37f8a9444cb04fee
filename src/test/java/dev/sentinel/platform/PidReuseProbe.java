package dev.sentinel.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Run as PID 1 of a new pid namespace by {@link PidReuseTest}: makes a pid be reused for real and
 * reports, one {@code key=value} line each, whether a signal meant for the process that had it
 * reaches the bystander that has it now. The pid is reused on purpose through
 * {@code /proc/sys/kernel/ns_last_pid} (the next pid the namespace hands out, as CRIU sets it).
 */
public final class PidReuseProbe {

    private PidReuseProbe() {
    }

    public static void main(String[] args) throws Exception {
        ProcFs proc = ProcFs.system();
        LibcSignaller signaller = new LibcSignaller(new Libc(), proc);
        for (int attempt = 1; attempt <= 20; attempt++) {
            Process gone = sleeper();
            long pid = gone.pid();
            long start = proc.statOf(pid).startTicks();
            gone.destroyForcibly().waitFor();
            // The start times count clock ticks since boot: the bystander must start in a later tick.
            Thread.sleep(30);
            Files.writeString(Path.of("/proc/sys/kernel/ns_last_pid"), Long.toString(pid - 1));
            Process bystander = sleeper();
            if (bystander.pid() != pid) {
                // A thread of this JVM took the pid first: try again.
                bystander.destroyForcibly().waitFor();
                continue;
            }
            try {
                System.out.println("reused=" + pid + " attempt=" + attempt);
                System.out.println("pidfds=" + signaller.usesPidfds());
                boolean hit = signaller.signal(pid, start, Signal.TERM);
                System.out.println("signalledBystander=" + hit);
                System.out.println("bystanderAlive=" + !bystander.waitFor(300, TimeUnit.MILLISECONDS));
                System.out.println("plainKillWouldHit=" + (new Libc().kill((int) pid, 0) == 0));
                long own = proc.statOf(pid).startTicks();
                boolean sent = signaller.signal(pid, own, Signal.TERM);
                System.out.println("theProcessItselfSignalled=" + sent);
                System.out.println("itEndedByTerm=" + (bystander.waitFor(5, TimeUnit.SECONDS)
                        && bystander.exitValue() == 128 + Signal.TERM.number()));
            } finally {
                bystander.destroyForcibly().waitFor();
            }
            System.out.println("done");
            return;
        }
        System.out.println("noReuse=20 attempts");
    }

    private static Process sleeper() throws IOException {
        return new ProcessBuilder("sleep", "1000").start();
    }
}
