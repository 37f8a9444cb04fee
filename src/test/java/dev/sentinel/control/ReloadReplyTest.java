package dev.sentinel.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sentinel.core.ReloadOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReloadReplyTest {

    @Test
    void anAppliedReloadIsOkWithTheFileThenOneLinePerChange() {
        assertEquals("OK reloaded /s.toml\nweb: restarted\ndb: removed, stopped\n",
                ReloadReply.of(new ReloadOutcome(true, List.of("web: restarted", "db: removed, stopped")), "/s.toml"));
        assertEquals("OK reloaded /s.toml: nothing changed\n", ReloadReply.of(new ReloadOutcome(true, List.of()), "/s.toml"));
    }

    @Test
    void aRefusalWithOneReasonIsOneErrLine() {
        assertEquals("ERR /s.toml: cannot be read: No such file\n",
                ReloadReply.of(ReloadOutcome.refused("/s.toml: cannot be read: No such file"), "/s.toml"));
    }

    @Test
    void aRefusalWithSeveralProblemsCountsThemThenListsEvery() {
        assertEquals("ERR reload refused, nothing was changed: 2 problems\n/s.toml:1: a\n/s.toml:2: b\n",
                ReloadReply.of(new ReloadOutcome(false, List.of("/s.toml:1: a", "/s.toml:2: b")), "/s.toml"));
    }

    @Test
    void aLineCannotBreakTheProtocolNorATerminal() {
        assertEquals("OK reloaded /s.toml\nweb: 'a?b?c' d\n",
                ReloadReply.of(new ReloadOutcome(true, List.of("web: 'a\nb\u001bc'\td")), "/s.toml"));
    }
}
