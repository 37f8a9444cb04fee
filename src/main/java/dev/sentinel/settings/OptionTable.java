package dev.sentinel.settings;

import java.util.ArrayList;
import java.util.List;

/** Every option in the order of the help and of the options table: the config file, the program's, Sentinel's. */
public final class OptionTable {

    public static final List<Option<?>> ALL = all();

    private OptionTable() {
    }

    private static List<Option<?>> all() {
        List<Option<?>> all = new ArrayList<>();
        all.add(SentinelOptions.CONFIG);
        all.addAll(ProgramOptions.ALL);
        for (Option<?> o : SentinelOptions.ALL) {
            if (o != SentinelOptions.CONFIG) {
                all.add(o);
            }
        }
        return List.copyOf(all);
    }
}
