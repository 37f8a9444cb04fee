package dev.sentinel.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.testing.Await;
import dev.sentinel.testing.JavaPrograms;
import dev.sentinel.testing.RunningProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The probes' paths are Sentinel's own: a real Sentinel is asked each path the renders give its
 * probes, and the liveness path must answer as {@code /healthz} does and the readiness path as
 * {@code /readyz} does. Sentinel answers any other path with its index page and 200, so a mistyped
 * path would be a probe that never fails; the test shows that page is told apart.
 */
@Timeout(120)
class ProbePathsTest {

    private static final Path REPO = Path.of(System.getProperty("sentinel.repo", ".")).toAbsolutePath();

    private record Answer(int status, String contentType, String body) {
    }

    private static Answer get(int port, String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
                .openConnection();
        c.setConnectTimeout(2000);
        c.setReadTimeout(5000);
        try {
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                return new Answer(status, String.valueOf(c.getContentType()), body);
            }
        } finally {
            c.disconnect();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void theRenderedProbesAskWhatSentinelAnswers() throws IOException {
        ManifestChecks entrypoint = new ManifestChecks(REPO, Kustomize.render(REPO, Kustomize.BASE));
        ManifestChecks sidecar = new ManifestChecks(REPO, Kustomize.render(REPO, Kustomize.SIDECAR));
        List<String> alive = List.of(entrypoint.probePath("livenessProbe"), sidecar.probePath("livenessProbe"));
        String ready = entrypoint.probePath("readinessProbe");
        assertNotNull(ready);

        int port = freePort();
        try (RunningProcess sentinel = RunningProcess.start(JavaPrograms.sentinel("--no-tui", "--no-socket",
                "--metrics-host", "127.0.0.1", "-p", String.valueOf(port), "-m", "100M", "--", "sleep", "300"))) {
            Await.until(Duration.ofSeconds(30), () -> "Sentinel ready on " + port + "; stderr: " + sentinel.stderr(),
                    () -> {
                        try {
                            return get(port, ready).status() == 200;
                        } catch (IOException e) {
                            return false;
                        }
                    });
            for (String path : alive) {
                Answer a = get(port, path);
                assertEquals(200, a.status(), path + ": " + a);
                assertTrue(a.contentType().startsWith("text/plain") && a.body().equals("ok\n"),
                        "the liveness probe's " + path + " answers as /healthz does: " + a);
            }
            Answer r = get(port, ready);
            assertTrue(r.contentType().startsWith("text/plain") && r.body().startsWith("ready\n"),
                    "the readiness probe's " + ready + " answers as /readyz does: " + r);
            Answer other = get(port, "/not-a-probe");
            assertTrue(other.contentType().startsWith("text/html"), "any other path is the index page: " + other);
        }
    }
}
