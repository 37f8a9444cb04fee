package dev.sentinel.core.program;

import dev.sentinel.platform.health.Prober;

/**
 * What a program's health needs from outside it: who runs its checks, and where its notify socket
 * leaves what it hears.
 *
 * @param prober runs checks off the loop, or null when the program has none
 * @param inbox its notify socket's inbox, or null without one
 * @param notifyAddress the socket's address as {@code NOTIFY_SOCKET} says it, or null
 */
public record HealthLinks(Prober prober, NotifyInbox inbox, String notifyAddress) {

    public static final HealthLinks NONE = new HealthLinks(null, null, null);
}
