package dev.sentinel.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A web server for the health tests to guard: {@code java -cp TEST_CLASSES
 * dev.sentinel.testing.TinyServer PORT DELAY_MILLIS STATUS_FILE}. It waits DELAY_MILLIS before it
 * listens on 127.0.0.1:PORT, then answers every request with the status code written in
 * STATUS_FILE (200 while the file is missing), so a test can make it fail while it runs.
 */
public final class TinyServer {

    private TinyServer() {
    }

    /** The command line that runs it, with this test run's classes. */
    public static List<String> command(int port, long delayMillis, Path statusFile) {
        return List.of(JavaPrograms.java(), "-XX:+UseSerialGC", "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), TinyServer.class.getName(), Integer.toString(port),
                Long.toString(delayMillis), statusFile.toString());
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Thread.sleep(Long.parseLong(args[1]));
        Path statusFile = Path.of(args[2]);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", exchange -> {
            int status = 200;
            try {
                status = Integer.parseInt(Files.readString(statusFile).strip());
            } catch (IOException | NumberFormatException e) {
                // No file yet: healthy.
            }
            byte[] body = ("status " + status + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("listening on " + port);
    }
}
