package dev.sentinel.platform.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The words of results: one line, bounded, and the same failure always said the same way. */
class DetailsTest {

    @Test
    void oneLineReplacesControlCharactersAndLineEnds() {
        assertEquals("a b c ?[0m ? ?", Details.oneLine("a\tb\nc\r\u001b[0m \u0000 \u2028", 200));
        assertEquals("", Details.oneLine(null, 200));
    }

    @Test
    void aLongTextIsCutToTheMaximumWithAnEllipsis() {
        String cut = Details.oneLine("x".repeat(500), Details.MAX);

        assertEquals(Details.MAX, cut.length());
        assertEquals("x".repeat(Details.MAX - 1) + "\u2026", cut);
        assertEquals("abc", Details.oneLine("abc", 3));
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";

        assertEquals("ab\u2026", Details.oneLine("ab" + emoji + "cd", 4));
    }

    @Test
    void theRootCauseSaysWhatATlsFailureWas() {
        SSLHandshakeException e = new SSLHandshakeException("PKIX path building failed: long words");
        e.initCause(new IOException("unable to find valid certification path to requested target"));

        assertEquals("TLS: unable to find valid certification path to requested target",
                Dialer.failure(e, "example.org", Deadline.startingNow(Duration.ofSeconds(3))));
        assertEquals("unknown host db.local", Dialer.failure(new UnknownHostException("db.local: Name or service "
                + "not known"), "db.local", Deadline.startingNow(Duration.ofSeconds(3))));
        assertEquals("connection reset", Dialer.failure(new java.net.SocketException("Connection reset"), "h",
                Deadline.startingNow(Duration.ofSeconds(3))));
    }

    @Test
    void timeoutsAreWrittenAsUsersWriteDurations() {
        assertEquals("timed out after 3s", Deadline.startingNow(Duration.ofSeconds(3)).timedOut());
        assertEquals("timed out after 300ms", Deadline.startingNow(Duration.ofMillis(300)).timedOut());
        assertEquals("timed out after 1.5s", Deadline.startingNow(Duration.ofMillis(1500)).timedOut());
    }
}
