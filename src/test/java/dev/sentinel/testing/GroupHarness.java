package dev.sentinel.testing;

import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A test's harness for what a command leaves in its caller's process group. Start it in a group of
 * its own ({@link #command}: through {@code setsid}, so its pid is the group's id); it runs the
 * command as its child, in its group, and once the command has exited writes to the report file
 * {@code exit STATUS} and then one line {@code left PID STATE PPID NAME} per other process of the
 * group, zombies included.
 *
 * <p>It makes itself a child subreaper first and never waits for any process but the command: what
 * the command leaves behind is re-parented to the harness, not to PID 1, and stays listed (alive, or
 * a zombie nobody reaps) until the harness exits. So a leftover cannot slip away between the
 * command's exit and the listing, and the test fails on it every time, not when it is slow.
 */
public final class GroupHarness {

    private static final int PR_SET_CHILD_SUBREAPER = 36;

    private GroupHarness() {
    }

    /** {@code setsid java ... GroupHarness REPORT COMMAND...}, with this test run's class path. */
    public static List<String> command(Path report, List<String> command) {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.add(JavaPrograms.java());
        cmd.addAll(JavaPrograms.SMALL_JVM);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(GroupHarness.class.getName());
        cmd.add(report.toString());
        cmd.addAll(command);
        return cmd;
    }

    public static void main(String[] args) throws Exception {
        Path report = Path.of(args[0]);
        int rc = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("prctl").invokeInt(new Object[] {
            PR_SET_CHILD_SUBREAPER, new NativeLong(1), new NativeLong(0), new NativeLong(0), new NativeLong(0)});
        if (rc != 0) {
            Files.writeString(report, "not a subreaper\n");
            System.exit(3);
        }
        long self = ProcessHandle.current().pid();
        long group = pgrp(self);
        Process p = new ProcessBuilder(List.of(args).subList(1, args.length)).inheritIO().start();
        int status = p.waitFor();
        StringBuilder out = new StringBuilder("exit " + status + "\n");
        for (String line : members(group, self)) {
            out.append("left ").append(line).append('\n');
        }
        Files.writeString(report, out);
    }

    /** The other processes of {@code group}: "PID STATE PPID NAME" each. */
    private static List<String> members(long group, long self) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) procs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(dir.resolve("stat"));
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(f[2]) == group) {
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    found.add(name + " " + f[0] + " " + f[1] + " " + comm);
                }
            }
        }
        return found;
    }

    private static long pgrp(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
    }
}
