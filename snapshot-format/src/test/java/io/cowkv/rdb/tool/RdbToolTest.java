package io.cowkv.rdb.tool;

import static org.assertj.core.api.Assertions.assertThat;

import io.cowkv.rdb.RdbConstants;
import io.cowkv.rdb.RdbWriter;
import io.cowkv.rdb.testing.RawRdb;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RdbToolTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RdbTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path sample() throws Exception {
        Path f = dir.resolve("sample.rdb");
        try (OutputStream o = Files.newOutputStream(f)) {
            RdbWriter w = new RdbWriter(o);
            w.writeHeader();
            w.writeStandardAux("7.0.15", 1700000000L, 1234);
            w.selectDb(0);
            w.resizeDb(4, 1);
            w.writeStringKey("greeting".getBytes(), "héllo \"quoted\"\n".getBytes(StandardCharsets.UTF_8), 4102444800000L);
            w.writeStringKey("bin".getBytes(), new byte[] {(byte) 0xff, 0, 1}, RdbWriter.NO_EXPIRY);
            w.beginZSet("z".getBytes(), -1, 2);
            w.zsetMember("a".getBytes(), Double.POSITIVE_INFINITY);
            w.zsetMember("b".getBytes(), 1.5);
            w.endZSet();
            w.selectDb(3);
            w.beginHash("h".getBytes(), -1, 1);
            w.hashField("f".getBytes(), "v".getBytes());
            w.endHash();
            w.finish();
        }
        return f;
    }

    @Test
    void checkValidFile() throws Exception {
        Result r = run("check", sample().toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("RDB version: 10", "aux redis-ver = 7.0.15", "db 0: string=2 zset=1 (3 keys)",
                "db 3: hash=1 (1 keys)", "encoding zset-listpack: 1", "keys: 4, with expiry: 1", "RDB looks OK");
        assertThat(r.out()).containsPattern("checksum: [0-9a-f]{16} ok");
    }

    @Test
    void checkCorruptAndTruncatedFiles() throws Exception {
        byte[] good = Files.readAllBytes(sample());
        Path bad = dir.resolve("bad.rdb");
        byte[] b = good.clone();
        b[b.length - 3] ^= 0x10;
        Files.write(bad, b);
        Result r = run("check", bad.toString());
        assertThat(r.code()).isEqualTo(RdbTool.CORRUPT);
        assertThat(r.err()).contains("CORRUPT", "wrong RDB checksum", "offset");
        Files.write(bad, java.util.Arrays.copyOf(good, good.length / 2));
        r = run("check", bad.toString());
        assertThat(r.code()).isEqualTo(RdbTool.CORRUPT);
        assertThat(r.err()).contains("unexpected end of file");
    }

    @Test
    void usageErrors() throws Exception {
        assertThat(run().code()).isEqualTo(RdbTool.USAGE);
        assertThat(run("check").code()).isEqualTo(RdbTool.USAGE);
        assertThat(run("frobnicate", sample().toString()).code()).isEqualTo(RdbTool.USAGE);
        assertThat(run("dump", sample().toString()).code()).isEqualTo(RdbTool.USAGE);
        assertThat(run("check", sample().toString(), "--bogus").code()).isEqualTo(RdbTool.USAGE);
        Result r = run("check", dir.resolve("missing.rdb").toString());
        assertThat(r.code()).isEqualTo(RdbTool.USAGE);
        assertThat(r.err()).contains("no such file");
    }

    @Test
    void dumpJsonLines() throws Exception {
        Result r = run("dump", sample().toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("{\"type\":\"header\",\"version\":10}");
        assertThat(lines).contains(
                "{\"type\":\"key\",\"db\":0,\"key\":\"greeting\",\"kind\":\"string\",\"encoding\":\"string\","
                        + "\"expireAtMs\":4102444800000,\"value\":\"héllo \\\"quoted\\\"\\n\"}",
                "{\"type\":\"key\",\"db\":0,\"key\":\"bin\",\"kind\":\"string\",\"encoding\":\"string\","
                        + "\"value\":{\"base64\":\"/wAB\"}}",
                "{\"type\":\"key\",\"db\":0,\"key\":\"z\",\"kind\":\"zset\",\"encoding\":\"zset-listpack\","
                        + "\"value\":[[\"b\",1.5],[\"a\",\"inf\"]]}",
                "{\"type\":\"key\",\"db\":3,\"key\":\"h\",\"kind\":\"hash\",\"encoding\":\"hash-listpack\","
                        + "\"value\":[[\"f\",\"v\"]]}");
        assertThat(lines.get(lines.size() - 1)).matches("\\{\"type\":\"eof\",\"checksum\":\"[0-9a-f]{16}\",\"verified\":true}");
    }

    @Test
    void unsupportedRecordsFailUnlessSkipped() throws Exception {
        Path f = dir.resolve("module.rdb");
        RawRdb raw = new RawRdb(10);
        raw.u8(RdbConstants.TYPE_MODULE_2).str("m").len(12345).len(RdbConstants.MODULE_OPCODE_UINT).len(7)
                .len(RdbConstants.MODULE_OPCODE_STRING).str("payload").len(RdbConstants.MODULE_OPCODE_EOF);
        raw.u8(RdbConstants.TYPE_STRING).str("k").str("v");
        Files.write(f, raw.eof(true));
        Result r = run("check", f.toString());
        assertThat(r.code()).isEqualTo(RdbTool.CORRUPT);
        assertThat(r.err()).contains("unsupported record: module value");
        r = run("check", f.toString(), "--skip-unsupported");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("skipped unsupported records: 1", "keys: 2");
    }
}
