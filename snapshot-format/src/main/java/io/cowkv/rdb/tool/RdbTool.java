package io.cowkv.rdb.tool;

import io.cowkv.rdb.RdbFormatException;
import io.cowkv.rdb.RdbKeyInfo;
import io.cowkv.rdb.RdbReader;
import io.cowkv.rdb.RdbValueKind;
import io.cowkv.rdb.RdbVisitor;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Command-line checker and dumper of RDB files, like {@code redis-check-rdb} and more.
 *
 * <pre>
 * java -cp snapshot-format.jar:compress-lzf.jar io.cowkv.rdb.tool.RdbTool check FILE [--skip-unsupported] [--no-checksum]
 * java -cp ... io.cowkv.rdb.tool.RdbTool dump FILE --json [--skip-unsupported] [--no-checksum]
 * </pre>
 *
 * Exit codes: 0 the file is valid, 1 the file is corrupt, truncated or holds unsupported records,
 * 2 usage error or the file cannot be opened. {@code dump --json} writes one JSON object per line
 * (header, aux, function, key, skipped, eof), streaming values as they are read; byte strings are JSON
 * strings when valid UTF-8, else {@code {"base64": "..."}}.
 */
public final class RdbTool {
    public static final int OK = 0;
    public static final int CORRUPT = 1;
    public static final int USAGE = 2;

    private RdbTool() {
    }

    public static void main(String[] args) {
        int rc = run(args, System.out, System.err);
        System.out.flush();
        System.exit(rc);
    }

    private static final String USAGE_TEXT = String.join("\n",
            "usage: RdbTool check FILE [--skip-unsupported] [--no-checksum]",
            "       RdbTool dump FILE --json [--skip-unsupported] [--no-checksum]",
            "exit codes: 0 valid, 1 corrupt/truncated/unsupported, 2 usage or unreadable file");

    /** Runs the tool; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String cmd = args[0];
        Path file = Path.of(args[1]);
        boolean json = false;
        RdbReader.Options opts = RdbReader.Options.defaults();
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--skip-unsupported" -> opts = opts.withSkipUnsupported(true);
                case "--no-checksum" -> opts = opts.withVerifyChecksum(false);
                default -> {
                    err.println("unknown option " + args[i]);
                    err.println(USAGE_TEXT);
                    return USAGE;
                }
            }
        }
        if (!cmd.equals("check") && !(cmd.equals("dump") && json)) {
            err.println(cmd.equals("dump") ? "dump needs --json (the only output format)" : "unknown command " + cmd);
            err.println(USAGE_TEXT);
            return USAGE;
        }
        InputStream in;
        try {
            in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            err.println("cannot open " + file + ": no such file");
            return USAGE;
        } catch (IOException e) {
            err.println("cannot open " + file + ": " + e.getMessage());
            return USAGE;
        }
        try (in) {
            if (cmd.equals("check")) {
                return check(in, file, opts, out, err);
            }
            return dump(in, opts, out, err);
        } catch (IOException e) {
            err.println("I/O error reading " + file + ": " + e.getMessage());
            return CORRUPT;
        }
    }

    // ------------------------------------------------------------------ check

    private static final class Summary implements RdbVisitor {
        int version;
        final Map<String, String> aux = new java.util.LinkedHashMap<>();
        final Map<Long, Map<RdbValueKind, long[]>> perDb = new TreeMap<>();
        final Map<String, long[]> encodings = new TreeMap<>();
        long keys;
        long expires;
        long alreadyExpired;
        long functions;
        long skipped;
        long checksum;
        boolean verified;
        boolean eof;
        final long now = System.currentTimeMillis();

        @Override
        public void startRdb(int v) {
            version = v;
        }

        @Override
        public void aux(byte[] k, byte[] v) {
            aux.put(new String(k, StandardCharsets.UTF_8), new String(v, StandardCharsets.UTF_8));
        }

        @Override
        public void function(byte[] code) {
            functions++;
        }

        @Override
        public void beginKey(RdbKeyInfo k) {
            count(k);
        }

        private void count(RdbKeyInfo k) {
            keys++;
            perDb.computeIfAbsent(k.db(), d -> new EnumMap<>(RdbValueKind.class))
                    .computeIfAbsent(k.kind(), x -> new long[1])[0]++;
            encodings.computeIfAbsent(k.encoding(), x -> new long[1])[0]++;
            if (k.expireAtMs() >= 0) {
                expires++;
                if (k.expireAtMs() < now) {
                    alreadyExpired++;
                }
            }
        }

        @Override
        public void skipped(RdbKeyInfo key, String what) {
            skipped++;
            if (key != null) {
                count(key);
            }
        }

        @Override
        public void endRdb(long c, boolean v) {
            checksum = c;
            verified = v;
            eof = true;
        }

        void print(PrintStream out) {
            out.println("RDB version: " + version);
            aux.forEach((k, v) -> out.println("aux " + k + " = " + v));
            perDb.forEach((db, kinds) -> {
                StringBuilder sb = new StringBuilder("db " + db + ":");
                long total = 0;
                for (Map.Entry<RdbValueKind, long[]> e : kinds.entrySet()) {
                    sb.append(' ').append(e.getKey().redisName()).append('=').append(e.getValue()[0]);
                    total += e.getValue()[0];
                }
                out.println(sb.append(" (").append(total).append(" keys)"));
            });
            encodings.forEach((e, n) -> out.println("encoding " + e + ": " + n[0]));
            out.println("keys: " + keys + ", with expiry: " + expires + ", already expired: " + alreadyExpired);
            if (functions > 0) {
                out.println("function libraries: " + functions);
            }
            if (skipped > 0) {
                out.println("skipped unsupported records: " + skipped);
            }
        }
    }

    private static int check(InputStream in, Path file, RdbReader.Options opts, PrintStream out, PrintStream err)
            throws IOException {
        Summary s = new Summary();
        try {
            RdbReader.read(in, s, opts);
        } catch (RdbFormatException e) {
            s.print(out);
            err.println("CORRUPT " + file + ": " + e.getMessage());
            return CORRUPT;
        }
        s.print(out);
        if (s.version < 5) {
            out.println("checksum: none (RDB version " + s.version + " has no checksum)");
        } else if (s.checksum == 0) {
            out.println("checksum: not stored (file saved with rdbchecksum no)");
        } else {
            out.println(String.format("checksum: %016x %s", s.checksum, s.verified ? "ok" : "not verified"));
        }
        out.println("RDB looks OK");
        return OK;
    }

    // ------------------------------------------------------------------ dump

    private static final class JsonDumper implements RdbVisitor {
        private final OutputStream out;
        private final StringBuilder sb = new StringBuilder(1 << 12);
        private boolean first;
        private RdbValueKind kind;

        JsonDumper(OutputStream out) {
            this.out = out;
        }

        private void flushIfBig() throws IOException {
            if (sb.length() >= 1 << 16) {
                flush();
            }
        }

        void flush() throws IOException {
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
            sb.setLength(0);
        }

        @Override
        public void startRdb(int version) throws IOException {
            sb.append("{\"type\":\"header\",\"version\":").append(version).append("}\n");
        }

        @Override
        public void aux(byte[] key, byte[] value) throws IOException {
            sb.append("{\"type\":\"aux\",\"key\":");
            Json.bytes(sb, key);
            sb.append(",\"value\":");
            Json.bytes(sb, value);
            sb.append("}\n");
            flushIfBig();
        }

        @Override
        public void function(byte[] code) throws IOException {
            sb.append("{\"type\":\"function\",\"code\":");
            Json.bytes(sb, code);
            sb.append("}\n");
            flushIfBig();
        }

        private void keyHead(RdbKeyInfo k) {
            sb.append("\"db\":").append(k.db()).append(",\"key\":");
            Json.bytes(sb, k.key());
            sb.append(",\"kind\":\"").append(k.kind().redisName()).append("\",\"encoding\":\"")
                    .append(k.encoding()).append('"');
            if (k.expireAtMs() >= 0) {
                sb.append(",\"expireAtMs\":").append(k.expireAtMs());
            }
        }

        @Override
        public void beginKey(RdbKeyInfo k) throws IOException {
            kind = k.kind();
            sb.append("{\"type\":\"key\",");
            keyHead(k);
            sb.append(",\"value\":");
            if (kind != RdbValueKind.STRING) {
                sb.append('[');
            }
            first = true;
        }

        private void sep() throws IOException {
            if (!first) {
                sb.append(',');
            }
            first = false;
            flushIfBig();
        }

        @Override
        public void stringValue(byte[] value) {
            Json.bytes(sb, value);
        }

        @Override
        public void listElement(byte[] e) throws IOException {
            sep();
            Json.bytes(sb, e);
        }

        @Override
        public void setMember(byte[] m) throws IOException {
            sep();
            Json.bytes(sb, m);
        }

        @Override
        public void zsetMember(byte[] m, double score) throws IOException {
            sep();
            sb.append('[');
            Json.bytes(sb, m);
            sb.append(',');
            Json.number(sb, score);
            sb.append(']');
        }

        @Override
        public void hashField(byte[] f, byte[] v) throws IOException {
            sep();
            sb.append('[');
            Json.bytes(sb, f);
            sb.append(',');
            Json.bytes(sb, v);
            sb.append(']');
        }

        @Override
        public void endKey() throws IOException {
            if (kind != RdbValueKind.STRING) {
                sb.append(']');
            }
            sb.append("}\n");
            flushIfBig();
        }

        @Override
        public void skipped(RdbKeyInfo key, String what) throws IOException {
            sb.append("{\"type\":\"skipped\",");
            if (key != null) {
                keyHead(key);
                sb.append(',');
            }
            sb.append("\"what\":");
            Json.string(sb, what);
            sb.append("}\n");
            flushIfBig();
        }

        @Override
        public void endRdb(long checksum, boolean verified) throws IOException {
            sb.append(String.format("{\"type\":\"eof\",\"checksum\":\"%016x\",\"verified\":%s}%n", checksum, verified));
        }
    }

    private static int dump(InputStream in, RdbReader.Options opts, PrintStream out, PrintStream err)
            throws IOException {
        OutputStream o = new BufferedOutputStream(out, 1 << 16);
        JsonDumper d = new JsonDumper(o);
        try {
            RdbReader.read(in, d, opts);
            d.flush();
            o.flush();
            return OK;
        } catch (RdbFormatException e) {
            d.flush();
            o.flush();
            err.println("CORRUPT: " + e.getMessage());
            return CORRUPT;
        }
    }
}
