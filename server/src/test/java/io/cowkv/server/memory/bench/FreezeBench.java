package io.cowkv.server.memory.bench;

import java.util.concurrent.TimeUnit;

import io.cowkv.server.memory.Arena;
import io.cowkv.server.memory.ArenaConfig;
import io.cowkv.server.memory.FrozenView;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Freeze time of an arena holding {@code gib} GiB of written 4 KiB pages (allocated as 256 KiB
 * runs). Measures {@code freeze()} followed by closing the view with nothing copied (the close is
 * O(1) then), so the figure is an upper bound of the freeze itself.
 * See docs/arena.md for the command.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "-Xmx2g", "-XX:+AlwaysPreTouch",
        "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true"})
public class FreezeBench {
    static final int RUN = 256 * 1024;

    @Param({"1", "8"})
    public int gib;

    Arena arena;

    @Setup(Level.Trial)
    public void fill() {
        arena = new Arena(ArenaConfig.of(4096, 16384, false));
        long runs = ((long) gib << 30) / RUN;
        for (long i = 0; i < runs; i++) {
            long a = arena.allocate(RUN);
            arena.fill(a, RUN, (byte) i);
        }
        System.out.printf("%n[arena] %d GiB: used=%d frames=%d native=%d%n",
                gib, arena.usedBytes(), arena.framesInUse(), arena.nativeBytesReserved());
    }

    @Benchmark
    public long freezeAndClose() {
        FrozenView v = arena.freeze();
        v.close();
        return arena.lastFreezeNanos();
    }

    @TearDown(Level.Trial)
    public void close() {
        System.out.printf("%n[arena] lastFreezeNanos=%d%n", arena.lastFreezeNanos());
        arena.close();
    }
}
