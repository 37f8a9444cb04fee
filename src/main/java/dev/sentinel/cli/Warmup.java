package dev.sentinel.cli;

import dev.sentinel.platform.Libc;
import org.slf4j.LoggerFactory;

/**
 * Loads, on a background thread, what every guarded run needs a little later: the logging
 * backend and the two native libraries. Each costs 10 to 40 ms of class loading; done while the
 * main thread parses the command line, they leave the critical path of a start (BENCHMARKS.md). Nothing
 * is shared: the main thread later asks for the same things and finds them initialised, or waits
 * on the JVM's class-initialisation lock if the warm-up is still busy with one.
 */
final class Warmup {

    private Warmup() {
    }

    static void inBackground() {
        Thread t = new Thread(Warmup::run, "sentinel-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        try {
            // In the order the main thread will need them.
            LoggerFactory.getILoggerFactory();
            org.newsclub.net.unix.AFUNIXSocket.isSupported();
            Libc.loadNativeLibrary();
        } catch (Throwable e) {
            // Only a head start: whoever needs these next loads them and reports any failure properly.
        }
    }
}
