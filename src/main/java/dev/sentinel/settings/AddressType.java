package dev.sentinel.settings;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where a check connects: an {@code http://} or {@code https://} URL, or a TCP {@code host:port}
 * ({@code [::1]:5432} for an IPv6 address). A word, or in a file a string; checked when read, so a
 * typo is a sentence at start-up and never a check that fails forever.
 */
public final class AddressType implements ValueType<String> {

    public static final AddressType URL = new AddressType(true);
    public static final AddressType HOST_PORT = new AddressType(false);

    private final boolean url;

    private AddressType(boolean url) {
        this.url = url;
    }

    @Override
    public Class<?> javaType() {
        return String.class;
    }

    @Override
    public String parse(String word) {
        String problem = url ? urlProblem(word) : hostPortProblem(word);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return word.strip();
    }

    @Override
    public String read(Written written) {
        String text = written.nonBlank(url ? "a URL" : "an address", accepted());
        if (text == null) {
            return null;
        }
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return written.problem(e.getMessage());
        }
    }

    private String accepted() {
        return url ? "a URL like \"http://127.0.0.1:8080/health\"" : "an address like \"127.0.0.1:5432\"";
    }

    private String urlProblem(String word) {
        URI uri;
        try {
            uri = new URI(word.strip());
        } catch (URISyntaxException e) {
            return "'" + word + "' is not a URL (" + e.getReason() + "); use " + accepted() + ".";
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            return "'" + word + "' is not an http:// or https:// URL; use " + accepted() + ".";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "'" + word + "' names no host; use " + accepted() + ".";
        }
        return null;
    }

    private String hostPortProblem(String word) {
        HostPort hp = HostPort.parse(word);
        return hp == null ? "'" + word + "' is not an address; use " + accepted() + " (a host, a colon, a port "
                + "from 1 to 65535)." : null;
    }

    /** A host and a port, as a tcp check's target is written. */
    public record HostPort(String host, int port) {

        /** {@code host:port} or {@code [v6]:port}, or null when it is neither. */
        public static HostPort parse(String word) {
            String w = word.strip();
            int colon = w.lastIndexOf(':');
            if (colon <= 0 || colon == w.length() - 1) {
                return null;
            }
            String host = w.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.indexOf(':') >= 0) {
                return null;
            }
            if (host.isEmpty() || host.indexOf(' ') >= 0) {
                return null;
            }
            String digits = w.substring(colon + 1);
            if (digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int port = Integer.parseInt(digits);
            return port >= 1 && port <= 65535 ? new HostPort(host, port) : null;
        }
    }
}
