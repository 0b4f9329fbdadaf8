package io.cowkv.server.memory.bench;

import io.cowkv.server.memory.Arena;
import io.cowkv.server.memory.ArenaConfig;
import io.cowkv.server.memory.FrozenView;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Cost of the write barrier on a steady-state write path: 64-byte values (as a SET of a 64-byte
 * string would write) at random places in 1 MiB or 256 MiB of slab-allocated values, with no snapshot
 * ({@code none}), with an open snapshot whose pages have all been copied already ({@code open}),
 * and with bounds checks on ({@code none-checks}). {@code rawNative} is the same write straight to
 * a native address (no translation, no barrier) as a floor.
 */
@State(Scope.Benchmark)
public class WriteBarrierBench extends ArenaBenchDefaults {
    /** Number of 64-byte values: 16384 = 1 MiB (cache-resident), 4194304 = 256 MiB. Power of two. */
    @Param({"16384", "4194304"})
    public int values;

    @Param({"none", "open", "none-checks"})
    public String mode;

    Arena arena;
    FrozenView view;
    long[] addr;
    final byte[] value = new byte[64];
    long raw;
    net.openhft.chronicle.bytes.BytesStore<?, Void> rawStore;

    @Setup(Level.Trial)
    public void setUp() {
        arena = new Arena(ArenaConfig.of(4096, 16384, mode.endsWith("checks")));
        addr = new long[values];
        for (int i = 0; i < values; i++) {
            addr[i] = arena.allocate(64);
            arena.fill(addr[i], 64, (byte) i);
        }
        if (mode.equals("open")) {
            view = arena.freeze();
            for (int i = 0; i < values; i += 64) { // 64 values per 4 KiB page: copy every page once
                arena.writeByte(addr[i], (byte) 1);
            }
            System.out.printf("%n[arena] copied before measuring: %d bytes%n", view.copiedBytes());
        }
        rawStore = net.openhft.chronicle.bytes.BytesStore.nativeStoreWithFixedCapacity((long) values * 64);
        raw = rawStore.addressForRead(0);
    }

    private int next() {
        return nextIndex(values - 1);
    }

    @Benchmark
    public void set64() {
        arena.write(addr[next()], value, 0, 64);
    }

    @Benchmark
    public void writeLong() {
        arena.writeLong(addr[next()] + 8, seed);
    }

    @Benchmark
    public void rawNative() {
        net.openhft.chronicle.core.UnsafeMemory.MEMORY.writeBytes(raw + ((long) next() << 6), value, 0, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (view != null) {
            view.close();
        }
        arena.close();
        rawStore.releaseLast();
    }
}
