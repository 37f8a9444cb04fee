package dev.sentinel.platform.cgroup;

/**
 * The limits the kernel took, read back after writing (it rounds down to pages).
 *
 * @param maxBytes  the hard limit in effect, -1 for none
 * @param highBytes the v2 throttle in effect, -1 for none (always -1 on v1)
 * @param swapOff   whether the kernel keeps the program out of swap
 * @param describe  one short phrase for the started line
 */
public record KernelLimits(long maxBytes, long highBytes, boolean swapOff, String describe) {
}
