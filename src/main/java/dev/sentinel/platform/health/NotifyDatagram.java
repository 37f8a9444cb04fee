package dev.sentinel.platform.health;

/**
 * One datagram a notify socket received, with the sender's credentials as the kernel vouched for
 * them ({@code SCM_CREDENTIALS}): a process cannot claim another's pid.
 *
 * @param pid the sending process, or 0 when the kernel gave no credentials
 * @param uid its user, or -1 when the kernel gave no credentials
 * @param text the payload as UTF-8 ({@code READY=1\nSTATUS=Listening}), at most 4096 bytes' worth
 */
public record NotifyDatagram(long pid, long uid, String text) {
}
