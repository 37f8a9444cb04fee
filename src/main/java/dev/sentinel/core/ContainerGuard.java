package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.ProgramState;
import dev.sentinel.core.program.StopReason;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.text.ByteSize;
import java.util.function.LongSupplier;

/**
 * Sentinel's last line below its container's memory limit. Where the kernel kills a container as
 * a whole at its limit ({@code memory.oom.group}, set by the kubelet), Sentinel dies with its
 * programs and reports nothing; where no cgroup of its own can be had (a read-only
 * {@code /sys/fs/cgroup}) no kernel limit of a program comes first either. So once the container's
 * memory nears its limit — {@link #NEAR} of it — the largest tree gets SIGKILL at once, whatever
 * its grace, with the reason {@code container limit near}.
 *
 * <p>How near is the larger of the container's working set (read at most every
 * {@link #READ_EVERY_NANOS}) and what the programs' last samples measured plus Sentinel's own
 * memory: the first sees page cache and kernel memory, the second is fresh at every sample. It
 * acts at the programs' sampling pace, on the loop, after each turn.
 */
public final class ContainerGuard implements LoopExtension {

    /** The share of the container's limit at which a tree is killed. */
    public static final double NEAR = 0.95;

    /** The container's own files are read at most this often (a few µs each: the loop may turn every ms). */
    static final long READ_EVERY_NANOS = 50_000_000L;

    /** After a kill, the next waits this long for the killed tree's memory to be freed. */
    static final long SETTLE_NANOS = 1_000_000_000L;

    private final long limitBytes;
    private final long nearBytes;
    private final LongSupplier containerUsage;
    private final LongSupplier ownBytes;
    private LoopContext context;
    private long readAt;
    private boolean readOnce;
    private long usage = -1;
    private long own;
    private long killedAt;
    private Program killed;

    /**
     * @param limitBytes     the container's memory limit
     * @param containerUsage its working set now, -1 if unknown
     * @param ownBytes       Sentinel's own resident memory, -1 if unknown
     */
    public ContainerGuard(long limitBytes, LongSupplier containerUsage, LongSupplier ownBytes) {
        if (limitBytes <= 0) {
            throw new IllegalArgumentException("no container limit to guard");
        }
        this.limitBytes = limitBytes;
        this.nearBytes = (long) (limitBytes * NEAR);
        this.containerUsage = containerUsage;
        this.ownBytes = ownBytes;
    }

    /** The memory at which a tree is killed. */
    public long nearBytes() {
        return nearBytes;
    }

    @Override
    public void attach(LoopContext context) {
        this.context = context;
    }

    @Override
    public void afterTick(Snapshot snapshot) {
        long now = context.clock().nanos();
        if (!readOnce || now - readAt >= READ_EVERY_NANOS) {
            readOnce = true;
            readAt = now;
            usage = containerUsage.getAsLong();
            own = Math.max(0, ownBytes.getAsLong());
        }
        if (killed != null) {
            if (killed.state() == ProgramState.KILLING && now - killedAt < SETTLE_NANOS) {
                return; // its memory is about to be freed: killing a second tree now would be one too many
            }
            killed = null;
        }
        long trees = 0;
        Program largest = null;
        for (Program p : context.programs()) {
            long b = p.treeBytes();
            trees += b;
            if (b > 0 && p.state() != ProgramState.KILLING && (largest == null || b > largest.treeBytes())) {
                largest = p;
            }
        }
        long near = Math.max(usage, trees + own);
        if (near < nearBytes || largest == null) {
            return;
        }
        context.events().emit(new Event(context.clock().epochMillis(), context.selfName(), EventKind.WARNING,
                "container limit near: " + ByteSize.format(near) + " of " + ByteSize.format(limitBytes)
                        + " in use (" + (int) Math.round(NEAR * 100) + " % is " + ByteSize.format(nearBytes)
                        + "): SIGKILL to " + largest.name() + "'s tree (" + ByteSize.format(largest.treeBytes())
                        + ") before the kernel kills the whole container"));
        largest.onKill(StopReason.CONTAINER);
        killed = largest;
        killedAt = now;
        // The next turn must see the container as it is after the kill, not the reading from before it.
        readOnce = false;
    }

    @Override
    public void close() {
    }
}
