package dev.sentinel.metrics;

import java.util.Map;

/** What became of the programs' event hooks, for {@code sentinel_hook_*}; read by scrapes, from any thread. */
public interface HookStats {

    /** Hook runs per program, by result ({@code ok}, {@code failed}, {@code timeout}, {@code unstartable}). */
    Map<String, Map<String, Long>> runs();

    /** Events dropped per program because its hook queue was full. */
    Map<String, Long> dropped();
}
