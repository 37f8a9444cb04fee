package dev.sentinel.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Plain HTTP GETs for tests (HttpURLConnection: no client threads to clean up). */
final class Http {

    private Http() {
    }

    /** The body of a 200 answer; an IOException for anything else. */
    static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(5000);
        c.setReadTimeout(10_000);
        try {
            int status = c.getResponseCode();
            if (status != 200) {
                InputStream err = c.getErrorStream();
                String body = err == null ? "" : new String(err.readAllBytes(), StandardCharsets.UTF_8);
                throw new IOException("HTTP " + status + " from " + url + ": " + body);
            }
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            c.disconnect();
        }
    }

    /** Like {@link #get} but unchecked, for use inside conditions. */
    static String getUnchecked(String url) {
        try {
            return get(url);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
