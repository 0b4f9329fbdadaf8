package io.cowkv.rdb.bench;

import io.cowkv.rdb.RdbReader;
import io.cowkv.rdb.RdbVisitor;
import io.cowkv.rdb.RdbWriter;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Write and read throughput of whole RDB files in memory. Data sets: {@code strings} = 1M keys
 * "key:N" -> "value:N" (what {@code DEBUG POPULATE 1000000} makes in Redis); {@code collections} = 10
 * lists, sets, sorted sets and hashes of 100k elements each. One operation = one whole file, so
 * keys/s = keys / (s/op) and MB/s = file size / (s/op); the sizes are printed at setup.
 *
 * <p>Run: see docs/snapshot-format.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgs = {"-Xmx2g"})
public class RdbBenchmark {
    @Param({"strings", "collections"})
    public String dataSet;

    @Param({"true", "false"})
    public boolean compression;

    private byte[] file;

    /** A counting sink, so writing measures encoding and not memory copies. */
    static final class Counting extends OutputStream {
        long n;

        @Override
        public void write(int b) {
            n++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            n += len;
        }
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static void write(String dataSet, RdbWriter w) throws IOException {
        w.writeHeader();
        w.writeStandardAux("7.0.15", 0, 0);
        w.selectDb(0);
        if (dataSet.equals("strings")) {
            w.resizeDb(1_000_000, 0);
            for (int i = 0; i < 1_000_000; i++) {
                w.writeStringKey(b("key:" + i), b("value:" + i), RdbWriter.NO_EXPIRY);
            }
        } else {
            int n = 100_000;
            w.resizeDb(40, 0);
            for (int k = 0; k < 10; k++) {
                w.beginList(b("list:" + k), -1, n);
                for (int i = 0; i < n; i++) {
                    w.listElement(b("element:" + i));
                }
                w.endList();
                w.beginSet(b("set:" + k), -1, n);
                for (int i = 0; i < n; i++) {
                    w.setMember(b("member:" + i));
                }
                w.endSet();
                w.beginZSet(b("zset:" + k), -1, n);
                for (int i = 0; i < n; i++) {
                    w.zsetMember(b("member:" + i), i * 1.5);
                }
                w.endZSet();
                w.beginHash(b("hash:" + k), -1, n);
                for (int i = 0; i < n; i++) {
                    w.hashField(b("field:" + i), b("value:" + i));
                }
                w.endHash();
            }
        }
        w.finish();
    }

    @Setup(Level.Trial)
    public void setup() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(dataSet, new RdbWriter(out, RdbWriter.Options.defaults().withCompression(compression)));
        file = out.toByteArray();
        System.out.printf("%n[data set %s, compression %s: %d bytes]%n", dataSet, compression, file.length);
    }

    @Benchmark
    public long writeFile() throws IOException {
        Counting c = new Counting();
        write(dataSet, new RdbWriter(c, RdbWriter.Options.defaults().withCompression(compression)));
        return c.n;
    }

    @Benchmark
    public void readFile(Blackhole bh) throws IOException {
        RdbReader.read(new ByteArrayInputStream(file), new RdbVisitor() {
            @Override
            public void stringValue(byte[] value) {
                bh.consume(value);
            }

            @Override
            public void listElement(byte[] e) {
                bh.consume(e);
            }

            @Override
            public void setMember(byte[] m) {
                bh.consume(m);
            }

            @Override
            public void zsetMember(byte[] m, double s) {
                bh.consume(m);
            }

            @Override
            public void hashField(byte[] f, byte[] v) {
                bh.consume(v);
            }
        });
    }

    public static void main(String[] args) throws Exception {
        new Runner(new OptionsBuilder().include(RdbBenchmark.class.getSimpleName()).build()).run();
    }
}
