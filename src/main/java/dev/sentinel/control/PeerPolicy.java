package dev.sentinel.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Decides who may talk to the socket, on every connection, from the peer's kernel credentials:
 * Sentinel's own user and root always; members of the socket's group only when the operator
 * opened the socket to its group on purpose (a group-writable {@code --socket-mode}); nobody else,
 * whatever the file mode says. The file mode is the first fence, this check the second.
 */
final class PeerPolicy {

    private final long ownUid;
    private final long groupGid;
    private final Path proc;

    /**
     * @param groupGid the group whose members may connect, or -1 for none
     * @param proc where to read a peer's supplementary groups ({@code /proc} outside tests)
     */
    PeerPolicy(long ownUid, long groupGid, Path proc) {
        this.ownUid = ownUid;
        this.groupGid = groupGid;
        this.proc = proc;
    }

    /** The policy for a socket with file mode {@code mode} owned by group {@code socketGid}. */
    static PeerPolicy forSocket(long ownUid, int mode, long socketGid) {
        boolean groupMayWrite = (mode & 0020) != 0;
        return new PeerPolicy(ownUid, groupMayWrite ? socketGid : -1, Path.of("/proc"));
    }

    /** Null if {@code peer} may use the socket, otherwise the sentence it is refused with. */
    String refusal(Peer peer) {
        if (peer.uid() == ownUid || peer.uid() == 0) {
            return null;
        }
        if (groupGid >= 0 && (peer.gid() == groupGid || supplementaryGroups(peer.pid()).contains(groupGid))) {
            return null;
        }
        return "permission denied: uid " + peer.uid() + " may not use this Sentinel (it runs as uid " + ownUid
                + (groupGid >= 0 ? " and admits group " + groupGid : "") + ")";
    }

    /** The peer's supplementary groups from /proc/PID/status; empty if the process is gone or unreadable. */
    private List<Long> supplementaryGroups(long pid) {
        if (pid <= 0) {
            return List.of();
        }
        try {
            for (String line : Files.readAllLines(proc.resolve(Long.toString(pid)).resolve("status"))) {
                if (line.startsWith("Groups:")) {
                    String rest = line.substring("Groups:".length()).strip();
                    return rest.isEmpty() ? List.of() : Arrays.stream(rest.split("\\s+")).map(Long::parseLong).toList();
                }
            }
        } catch (IOException | NumberFormatException e) {
            // gone or unreadable: only the primary group counts
        }
        return List.of();
    }
}
