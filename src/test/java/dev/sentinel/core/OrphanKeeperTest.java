package dev.sentinel.core;

import dev.sentinel.core.program.Program;
import dev.sentinel.core.program.SamplingPolicy;
import dev.sentinel.events.Event;
import dev.sentinel.events.EventKind;
import dev.sentinel.events.EventSink;
import dev.sentinel.settings.ProgramSettings;
import dev.sentinel.settings.MemoryLimit;
import dev.sentinel.time.Clock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sentinel.platform.LaunchException;
import dev.sentinel.platform.LaunchSpec;
import dev.sentinel.platform.Sampler;
import dev.sentinel.platform.TreeSample;
import dev.sentinel.testing.FakeClock;
import dev.sentinel.testing.StandInLoop;
import dev.sentinel.testing.FakeTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Orphans adopted by the subreaper go to the program they came from, and are reaped. */
class OrphanKeeperTest {

    private final FakeClock clock = new FakeClock();
    private final List<Event> events = new ArrayList<>();
    private final Map<String, List<Long>> adoptedBy = new HashMap<>();

    private final class FakeAdoptions implements Adoptions {
        long[] children = new long[0];
        final Map<Long, long[]> ids = new HashMap<>();
        int reaps;

        @Override
        public long[] adopted() {
            return children;
        }

        @Override
        public long[] groupAndSession(long pid) {
            return ids.get(pid);
        }

        @Override
        public int reapEnded(long[] adopted) {
            reaps++;
            return 0;
        }
    }

    private Program program(String name, FakeTree tree) throws LaunchException {
        Sampler.Factory recording = root -> {
            Sampler inner = tree.open(root);
            return new Sampler() {
                @Override
                public TreeSample sample() {
                    return inner.sample();
                }

                @Override
                public void adopt(long pid) {
                    adoptedBy.computeIfAbsent(name, n -> new ArrayList<>()).add(pid);
                }

                @Override
                public void close() {
                }
            };
        };
        ProgramSettings config = ProgramSettings.builder(name, List.of(name)).limit(new MemoryLimit(100 << 20))
                .grace(Duration.ofSeconds(3)).interval(Duration.ofMillis(250)).build();
        Program g = new Program(config, tree, LaunchSpec.passThrough(List.of(name)), recording, tree,
                SamplingPolicy.fixed(250_000_000L), clock, events::add, () -> { });
        g.start();
        return g;
    }

    private OrphanKeeper keeper(FakeAdoptions adoptions, List<Program> programs) {
        OrphanKeeper k = new OrphanKeeper(adoptions);
        k.attach(StandInLoop.config(clock, () -> null, events::add, () -> programs));
        return k;
    }

    @Test
    void anOrphanGoesToTheProgramWhoseGroupOrSessionItKept() throws LaunchException {
        FakeTree webTree = new FakeTree();
        FakeTree dbTree = new FakeTree(5000);
        Program web = program("web", webTree);
        Program db = program("db", dbTree);
        FakeAdoptions adoptions = new FakeAdoptions();
        adoptions.children = new long[] {501, 502};
        adoptions.ids.put(501L, new long[] {db.pid(), db.pid()});     // `sh -c 'worker &'`: same group
        adoptions.ids.put(502L, new long[] {502, web.pid()});         // its own group, the program's session
        OrphanKeeper k = keeper(adoptions, List.of(web, db));
        k.afterTick(null);
        assertEquals(List.of(501L), adoptedBy.get("db"));
        assertEquals(List.of(502L), adoptedBy.get("web"));
        assertEquals(1, adoptions.reaps);

        k.afterTick(null);
        assertEquals(List.of(501L), adoptedBy.get("db"), "handed over once");
        assertEquals(2, adoptions.reaps, "ended orphans are reaped at every turn");
    }

    @Test
    void aDaemonWithItsOwnSessionGoesToTheOnlyRunningProgram() throws LaunchException {
        FakeTree tree = new FakeTree();
        Program app = program("app", tree);
        FakeAdoptions adoptions = new FakeAdoptions();
        adoptions.children = new long[] {777};
        adoptions.ids.put(777L, new long[] {777, 776});   // fork, setsid, fork: nothing of the program left
        keeper(adoptions, List.of(app)).afterTick(null);
        assertEquals(List.of(777L), adoptedBy.get("app"));
    }

    @Test
    void anUntraceableOrphanAmongSeveralProgramsIsSaidOnceAndCountedNowhere() throws LaunchException {
        Program a = program("a", new FakeTree());
        Program b = program("b", new FakeTree(5000));
        FakeAdoptions adoptions = new FakeAdoptions();
        adoptions.children = new long[] {900};
        adoptions.ids.put(900L, new long[] {900, 899});
        OrphanKeeper k = keeper(adoptions, List.of(a, b));
        k.afterTick(null);
        k.afterTick(null);
        assertTrue(adoptedBy.isEmpty());
        List<Event> warnings = events.stream().filter(e -> e.kind() == EventKind.WARNING).toList();
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).message().startsWith("adopted orphan pid 900"), warnings.get(0).message());
    }
}
