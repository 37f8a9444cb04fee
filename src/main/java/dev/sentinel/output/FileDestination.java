package dev.sentinel.output;

import dev.sentinel.platform.RotatingFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Lines to a rotating file, as the program wrote them (no prefix: the file is the program's).
 *
 * <p>When the file cannot be written (disk full, directory removed) the lines are dropped and
 * counted, the warning is given once, and the file is opened again at the first line after
 * {@link #RETRY_NANOS}: a program that runs for weeks gets its log back when the disk does, and
 * the file says how many lines are missing.
 */
final class FileDestination implements LineDestination {

    static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final byte[] NO_HEAD = new byte[0];

    private final Path path;
    private final long rotateBytes;
    private final Consumer<String> warnings;
    private final LongSupplier nanos;
    /** Null while the file cannot be written. */
    private RotatingFile file;
    private volatile boolean broken;
    private long brokenSince;
    private String brokenReason;
    /** Lines lost since the file broke, and lines buffered but not yet known to be written. */
    private long lost;
    private long unflushed;

    FileDestination(RotatingFile file, long rotateBytes, Consumer<String> warnings, LongSupplier nanos) {
        this.path = file.path();
        this.file = file;
        this.rotateBytes = rotateBytes;
        this.warnings = warnings;
        this.nanos = nanos;
    }

    /** Whether the file cannot be written now. */
    boolean broken() {
        return broken;
    }

    /** {@code [sentinel: dropped 12 lines of web: the file could not keep up]}. */
    static String dropNotice(String program, long count) {
        return "[sentinel: dropped " + LineDestination.lines(count) + " of " + program + ": the file could not keep up]";
    }

    /** {@code [sentinel: dropped 12 lines: the file could not be written (No space left on device)]}. */
    static String lostNotice(long count, String reason) {
        return "[sentinel: dropped " + LineDestination.lines(count) + ": the file could not be written (" + reason + ")]";
    }

    /** A program's line as the file takes it: as written, with its newline. */
    static byte[] encode(String text) {
        return LineDestination.encode(NO_HEAD, text);
    }

    @Override
    public void line(byte[] line) {
        add(line, 1);
    }

    @Override
    public void dropped(String program, long count) {
        add(encode(dropNotice(program, count)), count);
    }

    /** {@code lines}: how many of the program's lines {@code line} stands for, should it be lost. */
    private void add(byte[] line, long lines) {
        if (!usable()) {
            lost += lines;
            return;
        }
        try {
            file.append(line);
            unflushed += lines;
        } catch (IOException | RuntimeException e) {
            lost += lines;
            fail(e);
        }
    }

    @Override
    public void endBatch() {
        if (file == null) {
            return;
        }
        try {
            file.flush();
            unflushed = 0;
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
    }

    @Override
    public void close() {
        endBatch();
        if (file != null) {
            file.close();
        }
    }

    private boolean usable() {
        if (file != null) {
            return true;
        }
        long now = nanos.getAsLong();
        if (now - brokenSince < RETRY_NANOS) {
            return false;
        }
        try {
            file = RotatingFile.open(path, rotateBytes, RotatingFile.KEEP);
            file.append(encode(lostNotice(lost, brokenReason)));
            // Written now, not at the end of the batch: opening a file on a full disk works, so only a
            // write shows whether the file is back. Without it a full disk would be "written again",
            // then "cannot be written", every 10 s.
            file.flush();
        } catch (IOException | RuntimeException e) {
            if (file != null) {
                file.close();
                file = null;
            }
            brokenSince = now;
            return false;
        }
        warnings.accept("the output file " + path + " is written again; " + LineDestination.lines(lost)
                + (lost == 1 ? " was" : " were") + " lost");
        lost = 0;
        broken = false;
        return true;
    }

    private void fail(Exception e) {
        // What was buffered may or may not have reached the file; count it as lost.
        lost += unflushed;
        unflushed = 0;
        file.close();
        file = null;
        broken = true;
        brokenSince = nanos.getAsLong();
        brokenReason = RotatingFile.reason(e);
        warnings.accept("the output file " + path + " cannot be written (" + brokenReason + "); its lines are "
                + "dropped and counted, and it is opened again every " + TimeUnit.NANOSECONDS.toSeconds(RETRY_NANOS)
                + " s");
    }
}
