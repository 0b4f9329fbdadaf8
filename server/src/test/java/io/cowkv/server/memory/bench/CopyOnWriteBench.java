package io.cowkv.server.memory.bench;

import java.util.concurrent.TimeUnit;

import io.cowkv.server.memory.Arena;
import io.cowkv.server.memory.ArenaConfig;
import io.cowkv.server.memory.FrozenView;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the first write to each page after a freeze (the page copy): each iteration freezes 256 MiB
 * of 4 KiB pages, then one batch writes a long into every page in order (65536 page copies), then the
 * view is closed. Time per operation = time per copied page.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, batchSize = CopyOnWriteBench.PAGES)
@Measurement(iterations = 10, batchSize = CopyOnWriteBench.PAGES)
public class CopyOnWriteBench extends ArenaBenchDefaults {
    static final int PAGES = 65536;

    Arena arena;
    long base;
    FrozenView view;
    int page;

    @Setup(Level.Trial)
    public void setUp() {
        arena = new Arena(ArenaConfig.of(4096, 16384, false));
        base = arena.allocate(PAGES * 4096);
        arena.fill(base, PAGES * 4096, (byte) 1);
    }

    @Setup(Level.Iteration)
    public void freeze() {
        view = arena.freeze();
        page = 0;
    }

    @Benchmark
    public void firstWriteToPage() {
        arena.writeLong(base + ((long) (page++ & (PAGES - 1)) << 12), page);
    }

    @TearDown(Level.Iteration)
    public void closeView() {
        if (view.copiedBytes() != (long) PAGES * 4096) {
            throw new IllegalStateException("expected every page copied once: " + view.copiedBytes());
        }
        view.close();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }
}
