package io.cowkv.server.snapshot;

import io.cowkv.rdb.RdbKeyInfo;
import io.cowkv.rdb.RdbReader;
import io.cowkv.rdb.RdbVisitor;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;

/** Test helpers: read a dump into "db:key" -> "value|expireAt", and a hand-driven executor. */
final class Dumps {
    private Dumps() {
    }

    static Map<String, String> read(Path file) throws Exception {
        Map<String, String> out = new TreeMap<>();
        try (InputStream in = Files.newInputStream(file)) {
            RdbReader.read(in, new RdbVisitor() {
                RdbKeyInfo key;

                @Override
                public void beginKey(RdbKeyInfo k) {
                    key = k;
                }

                @Override
                public void stringValue(byte[] v) {
                    out.put(key.db() + ":" + new String(key.key(), StandardCharsets.UTF_8),
                            new String(v, StandardCharsets.UTF_8) + "|" + key.expireAtMs());
                }
            });
        }
        return out;
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
