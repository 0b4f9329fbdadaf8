package io.cowkv.server.memory.bench;

import java.util.Random;
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
 * Cost of the key hash ({@link Arena#hash(byte[], int, int)} for a key from the network,
 * {@link Arena#hash(long, int)} for a key stored in the arena, as a look-up and a rehash step
 * compute them) for keys of {@code len} bytes. Each call hashes the next of 64 random keys
 * (cache-resident), so the loop is not a single constant input.
 */
@State(Scope.Benchmark)
public class HashBench extends ArenaBenchDefaults {
    private static final int KEYS = 64;

    @Param({"10", "16", "40"})
    public int len;

    Arena arena;
    final byte[][] heap = new byte[KEYS][];
    final long[] addr = new long[KEYS];
    int i;

    @Setup(Level.Trial)
    public void setUp() {
        arena = new Arena(ArenaConfig.of(4096, 16, false));
        Random r = new Random(42);
        for (int k = 0; k < KEYS; k++) {
            heap[k] = new byte[len];
            r.nextBytes(heap[k]);
            addr[k] = arena.allocate(len);
            arena.write(addr[k], heap[k], 0, len);
        }
    }

    @Benchmark
    public long heap() {
        int k = i = (i + 1) & (KEYS - 1);
        return Arena.hash(heap[k], 0, len);
    }

    @Benchmark
    public long arena() {
        int k = i = (i + 1) & (KEYS - 1);
        return arena.hash(addr[k], len);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }
}
