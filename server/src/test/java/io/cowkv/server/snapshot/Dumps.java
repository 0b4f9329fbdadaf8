package io.cowkv.server.snapshot;

import io.cowkv.rdb.RdbReader;
import io.cowkv.rdb.RdbVisitor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Test helpers: read a dump file into "db:key" -> "value|expireAt", or an RDB image into those
 * pairs in the order it holds them, and a hand-driven executor.
 */
final class Dumps {
    private Dumps() {
    }

    static Map<String, String> read(Path file) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            read(in, out::put);
        }
        return out;
    }

    /** The records of an RDB image, in the order it holds them (repeats kept): "db:key" -> "value|expireAt". */
    static List<Map.Entry<String, String>> records(byte[] rdb) throws IOException {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        read(new ByteArrayInputStream(rdb), (k, v) -> out.add(Map.entry(k, v)));
        return out;
    }

    /** Hands each string record of the RDB stream to {@code sink} as ("db:key", "value|expireAt"), in order. */
    private static void read(InputStream in, BiConsumer<String, String> sink) throws IOException {
        RdbReader.read(in, RdbVisitor.strings((key, v) -> sink.accept(key.db() + ":"
                + new String(key.key(), StandardCharsets.UTF_8), new String(v, StandardCharsets.UTF_8) + "|"
                + key.expireAtMs())));
    }

    /** Runs submitted tasks only when asked, on the asking thread. */
    static final class ManualExecutor implements Executor {
        final Deque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public synchronized void execute(Runnable r) {
            tasks.add(r);
        }

        synchronized Runnable poll() {
            return tasks.poll();
        }

        synchronized int size() {
            return tasks.size();
        }

        void runAll() {
            Runnable r;
            while ((r = poll()) != null) {
                r.run();
            }
        }
    }
}
