package dev.sentinel.cli;

import picocli.CommandLine;

/** Sentinel's version, from the jar manifest ({@code dev} when run from classes). */
public final class Version implements CommandLine.IVersionProvider {

    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"sentinel " + get()};
    }
}
