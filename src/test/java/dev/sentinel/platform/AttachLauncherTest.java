package dev.sentinel.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding the process to attach to, over a /proc written by the test. */
class AttachLauncherTest {

    private static final long SELF = 11;

    @TempDir
    Path root;

    private ProcFs proc() {
        return new ProcFs(root);
    }

    /** A process in the fake /proc: its stat line (the fields Sentinel reads) and its command line. */
    private void process(long pid, long ppid, long pgid, char state, long startTicks, String... args)
            throws IOException {
        Path dir = Files.createDirectories(root.resolve(Long.toString(pid)));
        String name = args.length == 0 ? "kthread" : Path.of(args[0]).getFileName().toString();
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
        // cutime cstime priority nice threads itrealvalue starttime vsize rss
        Files.writeString(dir.resolve("stat"), pid + " (" + name + ") " + state + " " + ppid + " " + pgid + " " + pgid
                + " 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 " + startTicks + " 1000 10\n");
        Files.write(dir.resolve("cmdline"), (String.join("\0", args) + (args.length == 0 ? "" : "\0"))
                .getBytes(StandardCharsets.UTF_8));
    }

    private void aPod() throws IOException {
        process(1, 0, 1, 'S', 1, "/pause");
        // Sentinel's parent holds the pattern in its own command line; so does Sentinel.
        process(10, 1, 10, 'S', 50, "/bin/sh", "-c", "sentinel attach --match Leaker --leak");
        process(SELF, 10, 10, 'S', 60, "java", "dev.sentinel.cli.Main", "attach", "--match", "Leaker --leak");
        process(20, 1, 20, 'S', 500, "java", "-cp", "/opt", "Leaker", "--leak", "2");
        process(30, 1, 30, 'S', 400, "java", "-cp", "/opt", "Leaker", "--leak", "2");
        process(40, SELF, 40, 'S', 700, "sh", "-c", "a hook: Leaker --leak");
        process(50, 1, 50, 'Z', 300, "java", "Leaker", "--leak");
        process(2, 0, 0, 'S', 2);
    }

    @Test
    void matchesTheCommandLineOldestFirstAndNeverSentinelItsAncestorsItsChildrenOrZombies() throws IOException {
        aPod();
        List<AttachLauncher.Target> found = AttachLauncher.matching(proc(), Pattern.compile("Leaker --leak"), SELF);
        assertEquals(List.of(30L, 20L), found.stream().map(AttachLauncher.Target::pid).toList());
        assertEquals("java -cp /opt Leaker --leak 2", found.get(0).cmdline());
        assertEquals(List.of("java", "-cp", "/opt", "Leaker", "--leak", "2"), found.get(0).words());
    }

    @Test
    void aPatternThatMatchesNothingFindsNothing() throws IOException {
        aPod();
        assertEquals(List.of(), AttachLauncher.matching(proc(), Pattern.compile("[N]ginx"), SELF));
    }

    @Test
    void byPidIsNullForNoSuchProcessAndForAZombie() throws IOException {
        aPod();
        assertNull(AttachLauncher.byPid(proc(), 99));
        assertNull(AttachLauncher.byPid(proc(), 50));
        assertEquals(400, AttachLauncher.byPid(proc(), 30).startTicks());
    }

    @Test
    void theGroupIsTheTreeOnlyWhenTheProcessLeadsItAndNothingElseIsInIt() throws IOException {
        process(20, 1, 20, 'S', 500, "app");
        process(21, 20, 20, 'S', 510, "worker");
        assertTrue(AttachLauncher.groupIsTree(proc(), 20, 20));
        process(22, 1, 20, 'S', 520, "stranger");
        assertFalse(AttachLauncher.groupIsTree(proc(), 20, 20), "a process of the group outside the tree");
        assertFalse(AttachLauncher.groupIsTree(proc(), 21, 20), "not the leader");
    }

    @Test
    void attachesOnceAndRefusesToStartItAgain() throws IOException, LaunchException {
        process(20, 1, 20, 'S', 500, "app");
        AttachLauncher launcher = new AttachLauncher(proc(), AttachLauncher.byPid(proc(), 20));
        LaunchSpec spec = LaunchSpec.passThrough(List.of("app"));
        Child child = launcher.launch(spec);
        assertTrue(child.attached());
        assertTrue(child.groupIsTree());
        assertTrue(child.exitStatus().isEmpty());
        assertFalse(launcher.ordersStart());
        LaunchException again = assertThrows(LaunchException.class, () -> launcher.launch(spec));
        assertEquals(2, again.exitCode());
    }

    @Test
    void anAttachedProcessIsGoneWhenItsPidIsAnotherProcesssOrAZombie() throws IOException, LaunchException {
        process(20, 1, 20, 'S', 500, "app");
        Child child = new AttachLauncher(proc(), AttachLauncher.byPid(proc(), 20)).launch(LaunchSpec.passThrough(
                List.of("app")));
        process(20, 1, 20, 'S', 900, "another");
        assertEquals(0, child.exitStatus().getAsInt(), "the pid was reused: the process is gone, status unknown");
    }

    @Test
    void aProcessThatExitedBeforeTheAttachIsOneSentenceAndStatus2() throws IOException {
        process(20, 1, 20, 'S', 500, "app");
        AttachLauncher launcher = new AttachLauncher(proc(), AttachLauncher.byPid(proc(), 20));
        process(20, 1, 20, 'Z', 500, "app");
        LaunchException e = assertThrows(LaunchException.class,
                () -> launcher.launch(LaunchSpec.passThrough(List.of("app"))));
        assertEquals(2, e.exitCode());
        assertTrue(e.getMessage().contains("exited before Sentinel could attach"), e.getMessage());
    }
}
