package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerPolicyTest {

    @TempDir
    Path proc;

    @Test
    void ownUserAndRootAreAdmitted() {
        PeerPolicy p = PeerPolicy.forSocket(1000, 0600, 1000);
        assertNull(p.refusal(new Peer(1000, 1000, 42)));
        assertNull(p.refusal(new Peer(0, 0, 43)));
    }

    @Test
    void otherUsersAreRefusedWhateverTheFileModeSays() {
        String why = PeerPolicy.forSocket(1000, 0606, 1000).refusal(new Peer(1001, 1001, 44));
        assertNotNull(why);
        assertTrue(why.contains("uid 1001") && why.contains("uid 1000"), why);
    }

    @Test
    void groupMembersOnlyWhenTheModeOpensTheSocketToTheGroup() throws IOException {
        Files.createDirectories(proc.resolve("77"));
        Files.writeString(proc.resolve("77/status"), "Name:\tnc\nUid:\t1001\t1001\t1001\t1001\nGroups:\t27 500 \n");
        PeerPolicy open = new PeerPolicy(1000, 500, proc);
        assertNull(open.refusal(new Peer(1001, 500, 76)), "primary group");
        assertNull(open.refusal(new Peer(1001, 1001, 77)), "supplementary group from /proc/PID/status");
        assertNotNull(open.refusal(new Peer(1001, 1001, 78)), "no status file: primary group only");
        assertNotNull(PeerPolicy.forSocket(1000, 0640, 500).refusal(new Peer(1001, 500, 76)),
                "group may read but not write: not opened to it");
        assertNull(PeerPolicy.forSocket(1000, 0660, 500).refusal(new Peer(1001, 500, 76)));
    }
}
