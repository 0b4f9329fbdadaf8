package io.cowkv.server.memory.bench;

import io.cowkv.server.memory.Arena;
import io.cowkv.server.memory.ArenaConfig;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of the allocator's metadata paths (slab bitmaps, slab and page tables): one operation frees
 * a random live allocation and allocates a new one of another size class, as an overwrite that
 * changes a value's size does, in an arena holding {@code live} small allocations (96 and 112
 * bytes, 1M of them about 100 MiB, so the metadata does not fit the CPU caches).
 */
@State(Scope.Benchmark)
public class AllocatorBench extends ArenaBenchDefaults {
    /** Live allocations; a power of two. */
    @Param({"16384", "1048576"})
    public int live;

    Arena arena;
    long[] addr;
    int[] size;

    @Setup(Level.Trial)
    public void setUp() {
        arena = new Arena(ArenaConfig.of(4096, 16384, false));
        addr = new long[live];
        size = new int[live];
        for (int i = 0; i < live; i++) {
            size[i] = (i & 1) == 0 ? 96 : 112;
            addr[i] = arena.allocate(size[i]);
        }
    }

    private int next() {
        return nextIndex(live - 1);
    }

    @Benchmark
    public long freeAndAllocate() {
        int i = next();
        arena.free(addr[i], size[i]);
        int s = size[i] == 96 ? 112 : 96;
        size[i] = s;
        return addr[i] = arena.allocate(s);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }
}
