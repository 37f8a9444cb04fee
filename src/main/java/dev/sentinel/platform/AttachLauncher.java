package dev.sentinel.platform;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * "Launches" a process that already runs ({@code sentinel attach}): the first launch hands back
 * the {@link AttachedChild} of the process found; any later one (a {@code restart} order) is
 * refused, since Sentinel is not its parent and does not know how it was started.
 */
public final class AttachLauncher implements ProcessLauncher {

    /**
     * A process to attach to, as /proc showed it when it was found.
     *
     * @param name the command name of {@code /proc/PID/stat}
     * @param cmdline the arguments joined by spaces
     */
    public record Target(long pid, long pgid, long startTicks, String name, String cmdline) {

        /** The arguments as words, for the program's settings (its command is shown, never run). */
        public List<String> words() {
            List<String> words = new ArrayList<>(List.of(cmdline.trim().split(" +")));
            words.removeIf(String::isEmpty);
            return words.isEmpty() ? List.of(name) : words;
        }
    }

    private final ProcFs proc;
    /** What --match looks for, or null for --pid. */
    private final Pattern pattern;
    /** The process, once known: given (--pid) or found (--match, on the loop thread). */
    private Target target;
    private boolean launched;

    /** For --pid: the process is known already. */
    public AttachLauncher(ProcFs proc, Target target) {
        this.proc = proc;
        this.target = target;
        this.pattern = null;
    }

    /** For --match: the process is {@link #found} later, while the program waits. */
    public AttachLauncher(ProcFs proc, Pattern pattern) {
        this.proc = proc;
        this.pattern = pattern;
    }

    public ProcFs proc() {
        return proc;
    }

    /** What --match looks for, or null. */
    public Pattern pattern() {
        return pattern;
    }

    /** The process to attach to, or null while none has been found. */
    public Target target() {
        return target;
    }

    /** The process --match found: the next launch attaches to it. */
    public void found(Target found) {
        target = found;
    }

    @Override
    public Child launch(LaunchSpec spec) throws LaunchException {
        if (target == null) {
            throw new LaunchException("no process to attach to has been found yet", 2);
        }
        if (launched) {
            throw new LaunchException("cannot start pid " + target.pid() + " again: Sentinel attached to it, it is "
                    + "not its parent and does not know how it was started", 2);
        }
        ProcStat st = AttachedChild.ProcScan.stat(proc, target.pid());
        if (st == null || st.startTicks() != target.startTicks() || st.isDead()) {
            throw new LaunchException("pid " + target.pid() + " (" + target.name() + ") exited before Sentinel "
                    + "could attach to it.", 2);
        }
        launched = true;
        return new AttachedChild(proc, target.pid(), st.pgid(), st.startTicks(), groupIsTree(proc, target.pid(),
                st.pgid()));
    }

    /** No order starts an attached process: Sentinel is not its parent and does not know its command. */
    @Override
    public boolean ordersStart() {
        return false;
    }

    /** The process {@code pid}, or null if there is none (or only its zombie). */
    public static Target byPid(ProcFs proc, long pid) {
        ProcStat st = AttachedChild.ProcScan.stat(proc, pid);
        if (st == null || st.isDead()) {
            return null;
        }
        String cmdline = AttachedChild.ProcScan.cmdline(proc, pid);
        return new Target(pid, st.pgid(), st.startTicks(), st.name(), cmdline == null ? st.name() : cmdline);
    }

    /**
     * Every process whose command line (arguments joined by spaces) {@code pattern} finds,
     * oldest first; never {@code self}, its ancestors (whose command lines may hold the pattern)
     * or its descendants (its hooks, checks and lifeline), nor kernel threads.
     */
    public static List<Target> matching(ProcFs proc, Pattern pattern, long self) {
        Set<Long> ancestors = ancestors(proc, self);
        List<Target> found = new ArrayList<>();
        for (long pid : pids(proc)) {
            if (ancestors.contains(pid)) {
                continue;
            }
            String cmdline = AttachedChild.ProcScan.cmdline(proc, pid);
            if (cmdline == null || cmdline.isEmpty() || !pattern.matcher(cmdline).find()) {
                continue;
            }
            ProcStat st = AttachedChild.ProcScan.stat(proc, pid);
            if (st == null || st.isDead() || proc.descendsFrom(pid, self)) {
                continue;
            }
            found.add(new Target(pid, st.pgid(), st.startTicks(), st.name(), cmdline));
        }
        found.sort(Comparator.comparingLong(Target::startTicks).thenComparingLong(Target::pid));
        return found;
    }

    /**
     * Whether a signal to group {@code pgid} reaches the tree of {@code pid} and nothing else: it
     * leads its group, and every member of the group descends from it.
     */
    static boolean groupIsTree(ProcFs proc, long pid, long pgid) {
        if (pgid != pid) {
            return false;
        }
        for (long other : pids(proc)) {
            if (other == pid) {
                continue;
            }
            ProcStat st = AttachedChild.ProcScan.stat(proc, other);
            if (st != null && st.pgid() == pgid && !proc.descendsFrom(other, pid)) {
                return false;
            }
        }
        return true;
    }

    /** {@code self} and its ancestors, by the parent links of /proc (at most 64 up). */
    public static Set<Long> ancestors(ProcFs proc, long self) {
        Set<Long> chain = new HashSet<>();
        long p = self;
        for (int i = 0; i < 64 && p > 0 && chain.add(p); i++) {
            ProcStat st = AttachedChild.ProcScan.stat(proc, p);
            if (st == null) {
                break;
            }
            p = st.ppid();
        }
        return chain;
    }

    private static List<Long> pids(ProcFs proc) {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc.root())) {
            for (Path e : entries) {
                String n = e.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    pids.add(Long.parseLong(n));
                }
            }
        } catch (IOException e) {
            // An unreadable /proc lists nothing: nothing matches.
        }
        return pids;
    }
}
