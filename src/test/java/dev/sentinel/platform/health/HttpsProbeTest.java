package dev.sentinel.platform.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.Libc;
import dev.sentinel.platform.LibcSignaller;
import dev.sentinel.testing.Await;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https against a real TLS server with a self-signed certificate (made by the JDK's keytool): the
 * check names the host in SNI and trusts only what the JDK trusts.
 */
class HttpsProbeTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path dir;

    private ProbeRunner runner;
    private SSLServerSocket server;
    private Thread acceptor;
    private final List<String> serverNames = new CopyOnWriteArrayList<>();
    private final List<Integer> handshakes = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        runner = new ProbeRunner(spec -> {
            throw new LaunchException("no exec checks here", 127);
        }, new LibcSignaller(new Libc()), 2);
        server = selfSignedServer();
        acceptor = new Thread(this::accept, "test-tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws Exception {
        runner.close();
        server.close();
        acceptor.join(WAIT.toMillis());
    }

    @Test
    void aNameIsSentInSniAndAnUntrustedCertificateFails() {
        ProbeResult r = check("https://localhost:" + server.getLocalPort() + "/");

        assertFalse(r.passed());
        assertEquals("TLS: unable to find valid certification path to requested target", r.detail());
        Await.until(WAIT, "the server saw the handshake", () -> !handshakes.isEmpty());
        assertEquals(List.of("localhost"), serverNames);
    }

    @Test
    void anAddressSendsNoSni() {
        ProbeResult r = check("https://127.0.0.1:" + server.getLocalPort() + "/");

        assertFalse(r.passed());
        assertEquals("TLS: unable to find valid certification path to requested target", r.detail());
        Await.until(WAIT, "the server saw the handshake", () -> !handshakes.isEmpty());
        assertEquals(List.of(), serverNames);
    }

    private ProbeResult check(String url) {
        AtomicReference<ProbeResult> result = new AtomicReference<>();
        runner.run(new Probe.Http(URI.create(url)), Duration.ofSeconds(10), result::set);
        Await.until(WAIT, "the result", () -> result.get() != null);
        return result.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try (SSLSocket s = (SSLSocket) server.accept()) {
                SSLParameters p = s.getSSLParameters();
                p.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
                    @Override
                    public boolean matches(SNIServerName name) {
                        serverNames.add(new SNIHostName(name.getEncoded()).getAsciiName());
                        return true;
                    }
                }));
                s.setSSLParameters(p);
                try {
                    s.startHandshake();
                } catch (Exception e) {
                    // The check refuses the certificate: that is the point.
                }
                handshakes.add(1);
            } catch (Exception e) {
                // Closed at the end of the test.
            }
        }
    }

    private SSLServerSocket selfSignedServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "san=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.out").toFile()).start();
        if (!keytool.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            keytool.destroyForcibly();
            throw new AssertionError("keytool failed: " + Files.readString(dir.resolve("keytool.out")));
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 16,
                InetAddress.getLoopbackAddress());
    }
}
