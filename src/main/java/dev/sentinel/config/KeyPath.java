package dev.sentinel.config;

/** Dotted key paths as problems name them: {@code programs.web.grace}, {@code programs."api.v2".env}. */
final class KeyPath {

    private KeyPath() {
    }

    static String child(String parent, String key) {
        String part = isBare(key) ? key : "\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return parent == null ? part : parent + "." + part;
    }

    /** Whether TOML lets the key be written without quotes. */
    private static boolean isBare(String key) {
        if (key.isEmpty()) {
            return false;
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c == '_' || c == '-' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }
}
