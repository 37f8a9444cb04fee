package dev.sentinel.platform;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * How the launcher reads a captured program's stdout and stderr: by the one {@link PollReader}
 * thread (Linux), or, where its calls are missing, by two pump threads per program.
 *
 * <p>The poll way hands the child pipes of Sentinel's own making, which ProcessBuilder cannot
 * create: {@code pipe2(O_CLOEXEC)} makes each, and the child's stdout is redirected "to the file"
 * {@code /proc/self/fd/W} of the write end. The JDK opens a redirect's file in the parent, before
 * it spawns (JDK 17's {@code ProcessImpl.start} opens a {@code FileOutputStream}, hands its fd to
 * the child as fd 1 and closes it once the child runs), so the open, in the JVM, reopens the pipe's
 * write end: the child's stdout is that pipe, in blocking mode of its own, and the
 * {@code O_TRUNC} of the open does nothing to a pipe. Sentinel then closes its write ends at once,
 * so the read end reaches its end when the last process holding the pipe (the program or a
 * grandchild) closes it or exits.
 */
abstract class OutputCapture {

    /** What {@link #prepare} set up for one launch, told whether the start succeeded. */
    interface Wiring {

        /** The process started: read its stdout and stderr into {@code sink} from now on. */
        void started(Process process, OutputSink sink);

        /** The start failed: release what was made for it. */
        void failed();
    }

    /** Sets {@code pb}'s stdout and stderr up for capture. */
    abstract Wiring prepare(ProcessBuilder pb) throws IOException;

    /** Sentinel's own: one poll reader for every launcher where it works, else pump threads. */
    static OutputCapture system() {
        return Shared.INSTANCE;
    }

    /** Two blocking pump threads per program: the way where poll(2) through JNA is not there. */
    static OutputCapture threads() {
        return Threads.INSTANCE;
    }

    /** The pipes go to {@code reader}. */
    static OutputCapture poll(PollReader reader) {
        return new Poll(reader);
    }

    /** Whether this capture reads with one thread for all programs. */
    abstract boolean polls();

    /** Decided on the first capture, so a run that captures nothing never loads or starts anything. */
    private static final class Shared {
        static final OutputCapture INSTANCE = choose();

        private static OutputCapture choose() {
            LinuxPipes os = LinuxPipes.load();
            if (os != null) {
                try {
                    return poll(new PollReader(os));
                } catch (IOException e) {
                    // No eventfd: the threads work everywhere.
                }
            }
            return threads();
        }
    }

    private static final class Poll extends OutputCapture {
        private final PollReader reader;

        Poll(PollReader reader) {
            this.reader = reader;
        }

        @Override
        boolean polls() {
            return true;
        }

        @Override
        Wiring prepare(ProcessBuilder pb) throws IOException {
            LinuxPipes os = reader.os();
            int[] out = os.pipe();
            int[] err;
            try {
                err = os.pipe();
            } catch (IOException e) {
                os.close(out[0]);
                os.close(out[1]);
                throw e;
            }
            pb.redirectOutput(ProcessBuilder.Redirect.to(new File("/proc/self/fd/" + out[1])));
            pb.redirectError(ProcessBuilder.Redirect.to(new File("/proc/self/fd/" + err[1])));
            return new Wiring() {
                @Override
                public void started(Process process, OutputSink sink) {
                    // The child has its own; while Sentinel holds a write end the pipe never ends.
                    os.close(out[1]);
                    os.close(err[1]);
                    sink.begin(OutputSink.Stream.STDOUT);
                    sink.begin(OutputSink.Stream.STDERR);
                    reader.add(out[0], OutputSink.Stream.STDOUT, sink);
                    reader.add(err[0], OutputSink.Stream.STDERR, sink);
                }

                @Override
                public void failed() {
                    for (int fd : new int[] {out[0], out[1], err[0], err[1]}) {
                        os.close(fd);
                    }
                }
            };
        }
    }

    private static final class Threads extends OutputCapture {
        static final Threads INSTANCE = new Threads();
        private static final long STACK_BYTES = 256 * 1024;

        @Override
        boolean polls() {
            return false;
        }

        @Override
        Wiring prepare(ProcessBuilder pb) {
            pb.redirectOutput(ProcessBuilder.Redirect.PIPE);
            pb.redirectError(ProcessBuilder.Redirect.PIPE);
            return new Wiring() {
                @Override
                public void started(Process process, OutputSink sink) {
                    sink.begin(OutputSink.Stream.STDOUT);
                    sink.begin(OutputSink.Stream.STDERR);
                    pump(process.getInputStream(), OutputSink.Stream.STDOUT, sink, process.pid());
                    pump(process.getErrorStream(), OutputSink.Stream.STDERR, sink, process.pid());
                }

                @Override
                public void failed() {
                    // The JDK made the pipes and closed them.
                }
            };
        }

        /**
         * One thread per stream and child, blocked in read(2) while the program is quiet, so it
         * costs no CPU then, but about 100 KiB of resident memory. It reads as fast as the program
         * writes, because a sink never blocks for long.
         */
        private static void pump(InputStream in, OutputSink.Stream stream, OutputSink sink, long pid) {
            Runnable read = () -> {
                try (in) {
                    PipeLines.read(in, line -> {
                        try {
                            sink.line(stream, line);
                        } catch (RuntimeException e) {
                            // A failing sink loses this line; the pipe must go on being read, or the program blocks.
                        }
                    });
                } catch (IOException e) {
                    // The pipe closed: the tree is gone.
                } finally {
                    try {
                        sink.end(stream);
                    } catch (RuntimeException e) {
                        // Nothing more comes from this pipe either way.
                    }
                }
            };
            Thread t = new Thread(null, read, "output-" + stream.name().toLowerCase(Locale.ROOT) + "-" + pid,
                    STACK_BYTES);
            t.setDaemon(true);
            t.start();
        }
    }
}
