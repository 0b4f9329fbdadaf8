package io.cowkv.server.memory.bench;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The JMH settings the arena benchmarks share. JMH reads these class annotations from a
 * benchmark's superclass, and a benchmark's own annotations take precedence: average time in ns,
 * 3 + 5 iterations of 1 s, one fork with a 1 GiB heap and the module openings Chronicle Bytes
 * needs on JDK 17+. Also a pseudo-random index for picking each operation's target.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {
        "-Xmx1g",
        "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio=ALL-UNNAMED",
        "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
        "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
        "-Dchronicle.analytics.disable=true", "-Dchronicle.announcer.disable=true"})
public abstract class ArenaBenchDefaults {
    /** State of {@link #nextIndex}; benchmarks may also use it as a changing value to write. */
    protected long seed = 0x9E3779B97F4A7C15L;

    /** The next xorshift64 pseudo-random index in {@code [0, mask]}: cheap, and not a constant the JIT could fold. */
    protected final int nextIndex(int mask) {
        long x = seed;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        seed = x;
        return (int) (x & mask);
    }
}
