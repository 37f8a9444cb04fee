package dev.sentinel.config;

/**
 * One key's value and where it was written: a program's key read from [defaults] keeps
 * {@code defaults.grace} and that line, so a problem points at the line to fix.
 *
 * @param key the dotted key problems name
 */
record Setting(String key, ConfigNode node) {

    int line() {
        return node.line();
    }
}
