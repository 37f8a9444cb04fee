package dev.sentinel.platform.health;

/**
 * What one check found.
 *
 * @param passed whether it passed
 * @param detail a few words a user reads: {@code HTTP 200}, {@code HTTP 500}, {@code connection
 *               refused}, {@code timed out after 3s}, {@code unknown host db.local}, {@code exit 1:
 *               <first line of its output>}; never null, at most 200 characters, one line
 * @param nanos how long it took
 */
public record ProbeResult(boolean passed, String detail, long nanos) {
}
