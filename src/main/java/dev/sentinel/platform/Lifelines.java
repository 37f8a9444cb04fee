package dev.sentinel.platform;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One tiny shell that SIGKILLs every guarded process group still registered with it if Sentinel
 * dies without saying goodbye. It blocks reading a pipe from Sentinel; the kernel closes that pipe
 * however Sentinel dies (even SIGKILL, which Sentinel cannot handle), and the shell then kills the
 * groups. Sentinel registers a group when it starts a tree ({@code +PGID}) and unregisters it once
 * the tree is gone ({@code -PGID}), so a recycled process-group id is never hit and a normal exit,
 * with every tree gone, kills nothing.
 *
 * <p>One shell for all programs: a shell per program cost a process and, in the JVM, a process
 * reaper thread each (about 90 KiB resident), which for fifty programs was the largest part of what
 * they cost Sentinel. If the shell is gone (someone killed it), the next registration starts a new
 * one and hands it every group still registered.
 *
 * <p>Sentinel {@link #close}s it on its way out, once its programs and hooks are gone: the shell
 * then does what Sentinel's death would make it do (normally nothing: no group is registered any
 * more) and Sentinel waits for it, so the JDK reaps it. A shell left running at exit would outlive
 * Sentinel in its caller's process group (a zombie, if the caller is a subreaper that does not reap
 * it), and the JDK's reaper thread, blocked in {@code waitpid} in native code, holds up the JVM's
 * exit by 300 ms (HotSpot waits that long for threads in native code before it exits).
 */
final class Lifelines {

    /**
     * How long {@link #close} waits for the shell: it needs a few milliseconds with nothing
     * registered; with groups still registered (Sentinel ends with trees running) it may wait up to
     * 5 s for a cgroup to empty, and goes on alone after this, as it would after Sentinel's death.
     */
    static final long CLOSE_WAIT_MILLIS = 1000;

    private static final String SCRIPT = String.join("\n",
            "trap '' INT TERM HUP USR1 USR2 QUIT",
            "groups=' '",
            "dirs=''",
            "leaf=''",
            "undo=''",
            "while read -r line; do",
            "  case $line in",
            // "+PGID" or "+PGID KILLFILE": the group, and the cgroup.kill of the tree's cgroup (k_PGID).
            "    +*) e=${line#+}; g=${e%% *}; groups=\"$groups$g \"; [ \"$e\" = \"$g\" ] || eval \"k_$g=\\${e#* }\" ;;",
            "    -*) g=${line#-}; rest=' '; for x in $groups; do [ \"$x\" = \"$g\" ] || rest=\"$rest$x \"; done; "
                    + "groups=$rest; eval \"k_$g=\" ;;",
            // "!DIR": a directory of Sentinel's cgroups, removed once what the kills left has died.
            "    !*) dirs=\"$dirs${line#!}",
            "\" ;;",
            // "=LEAF" Sentinel's own leaf, "~UNDO" what turns off the controllers it enabled above it.
            "    =*) leaf=${line#=} ;;",
            "    ~*) undo=${line#~} ;;",
            "  esac",
            "done",
            "for g in $groups; do eval \"f=\\${k_$g:-}\"; [ -z \"$f\" ] || echo 1 > \"$f\" 2>/dev/null; "
                    + "kill -9 -\"$g\" 2>/dev/null; done",
            // A cgroup can be removed only once its processes are gone: up to 5 s for the kills to land.
            // The list is split on newlines with globbing off, not piped to a loop: Sentinel waits for
            // this shell when it exits, and with nothing left to remove that costs no fork.
            "IFS='",
            "'; set -f",
            "for d in $dirs; do set +f; n=50; while [ -d \"$d\" ] && [ $n -gt 0 ]; do "
                    + "rmdir \"$d\"/*/ \"$d\" 2>/dev/null || sleep 0.1; n=$((n - 1)); done; set -f; done",
            // Sentinel's leaf: this shell moves out of it (once the programs' cgroups, which used the
            // controllers, are gone: turning them off lets processes back into a non-root base), then
            // removes it as soon as Sentinel's last thread has left it.
            "if [ -n \"$leaf\" ] && [ -d \"$leaf\" ]; then b=${leaf%/*}; "
                    + "echo $$ > \"$b/cgroup.procs\" 2>/dev/null || { [ -z \"$undo\" ] || "
                    + "echo \"$undo\" > \"$b/cgroup.subtree_control\" 2>/dev/null; echo $$ > \"$b/cgroup.procs\" 2>/dev/null; }; "
                    + "n=50; while [ -d \"$leaf\" ] && [ $n -gt 0 ]; do rmdir \"$leaf\" 2>/dev/null || sleep 0.1; "
                    + "n=$((n - 1)); done; fi");

    /** Each registered group, with the cgroup.kill file of its tree's cgroup ("" for none). */
    private final Map<Long, String> groups = new LinkedHashMap<>();
    /** Directories holding the programs' cgroups (Sentinel's own, per hierarchy), removed if Sentinel dies. */
    private final Set<String> dirs = new LinkedHashSet<>();
    /** Sentinel's own leaf and the undo of its controllers ({@code =LEAF}, {@code ~UNDO}), or null. */
    private String leaf;
    private String undo = "";
    private Process shell;
    private OutputStream pipe;
    /** Closed: nothing starts a shell any more. */
    private boolean closed;

    /** Registers {@code pgid}: if Sentinel dies while it is registered, the group is killed. */
    synchronized void watch(long pgid) {
        watch(pgid, null);
    }

    /**
     * Registers {@code pgid} and, where the tree has a cgroup, its {@code cgroup.kill}: if Sentinel
     * dies while it is registered, the whole cgroup is killed too (a daemon that left the group
     * never left its cgroup).
     */
    synchronized void watch(long pgid, Path cgroupKill) {
        String kill = cgroupKill == null || cgroupKill.toString().contains("\n") ? "" : cgroupKill.toString();
        groups.put(pgid, kill);
        if (!send(registration(pgid, kill))) {
            restart();
        }
    }

    /**
     * If Sentinel dies, {@code dir} (a directory of the programs' cgroups) and its child cgroups
     * are removed once their processes are gone: a Sentinel that was SIGKILLed leaves no cgroups
     * behind. (On a normal exit Sentinel has removed them itself; the shell then finds none.)
     */
    synchronized void removeOnDeath(Path dir) {
        String d = dir.toString();
        if (d.contains("\n") || !dirs.add(d)) {
            return;
        }
        if (!send("!" + d)) {
            restart();
        }
    }

    /**
     * If Sentinel dies, the shell leaves {@code leafDir} (Sentinel's own cgroup, where the shell
     * was started too), turning off {@code undoControllers} in its parent first if it must, and
     * removes it once Sentinel is gone.
     */
    synchronized void removeLeafOnDeath(Path leafDir, String undoControllers) {
        String l = leafDir.toString();
        String u = undoControllers == null ? "" : undoControllers;
        if (l.contains("\n") || u.contains("\n")) {
            return;
        }
        leaf = l;
        undo = u;
        if (shell != null && !(send("~" + u) && send("=" + l))) {
            restart();
        }
    }

    private static String registration(long pgid, String kill) {
        return "+" + pgid + (kill.isEmpty() ? "" : " " + kill);
    }

    /** The tree of {@code pgid} is gone: it is not killed any more. */
    synchronized void release(long pgid) {
        if (groups.remove(pgid) != null) {
            send("-" + pgid);
        }
    }

    /** Whether {@code pid} is the lifeline shell (a child of Sentinel the JDK reaps). */
    synchronized boolean isShell(long pid) {
        return shell != null && shell.pid() == pid;
    }

    /** Closes the pipe as Sentinel's death would (for tests): the shell kills what is registered. */
    synchronized void sever() {
        try {
            if (pipe != null) {
                pipe.close();
            }
        } catch (IOException e) {
            // Closed already.
        }
        pipe = null;
    }

    /**
     * Sentinel is exiting: closes the pipe, so the shell kills whatever is still registered (as if
     * Sentinel had died: on a normal exit nothing is) and ends, and waits up to
     * {@link #CLOSE_WAIT_MILLIS} for it to end and be reaped. No shell is started after this.
     * Idempotent.
     */
    void close() {
        Process ending;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            sever();
            ending = shell;
        }
        if (ending == null) {
            return;
        }
        try {
            // Outside the lock: isShell must still answer for it until the JDK has reaped it.
            ending.waitFor(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean send(String line) {
        if (pipe == null || shell == null || !shell.isAlive()) {
            return false;
        }
        try {
            // One short line per write: below PIPE_BUF, so the shell never reads half a line.
            pipe.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            pipe.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts a shell and hands it every registered group; without a shell nothing is guarded this way. */
    private void restart() {
        if (closed) {
            return;
        }
        try {
            shell = new ProcessBuilder("/bin/sh", "-c", SCRIPT, "sentinel-lifeline")
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            pipe = shell.getOutputStream();
        } catch (IOException e) {
            shell = null;
            pipe = null;
            return;
        }
        groups.forEach((g, kill) -> send(registration(g, kill)));
        dirs.forEach(d -> send("!" + d));
        if (leaf != null) {
            send("~" + undo);
            send("=" + leaf);
        }
    }
}
