package io.cowkv.rdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Records encoded apart and spliced with writeRaw make the very same file as RdbWriter (no LZF). */
class RdbRecordEncoderTest {
    record Rec(long db, byte[] key, byte[] value, long expire) {
    }

    static List<Rec> records() {
        Random rnd = new Random(3);
        List<Rec> out = new ArrayList<>();
        String[] values = {"", "0", "-1", "127", "-128", "128", "32767", "-32768", "32768", "2147483647",
            "-2147483648", "2147483648", "9223372036854775807", "0100", "+5", "x".repeat(63), "y".repeat(64),
            "z".repeat(16383), "w".repeat(16384), "abc".repeat(100)};
        for (int i = 0; i < 200; i++) {
            String v = i < values.length ? values[i] : "v" + rnd.nextInt() + "q".repeat(rnd.nextInt(700));
            String k = i % 17 == 0 ? Integer.toString(i) : "key:" + i + "k".repeat(i % 3 == 0 ? 70 : 0);
            out.add(new Rec(i % 5 == 0 ? 70_000 : i % 3, k.getBytes(StandardCharsets.UTF_8),
                    v.getBytes(StandardCharsets.UTF_8), i % 4 == 0 ? 1_700_000_000_000L + i : RdbWriter.NO_EXPIRY));
        }
        return out;
    }

    @Test
    void splicedRecordsEqualTheWritersOwn() throws Exception {
        List<Rec> recs = records();
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        RdbWriter wa = new RdbWriter(a, RdbWriter.Options.defaults().withCompression(false));
        wa.writeHeader();
        wa.writeAux("redis-ver", "7.0.15");
        for (Rec r : recs) {
            wa.selectDb(r.db());
            wa.writeStringKey(r.key(), r.value(), r.expire());
        }
        wa.finish();

        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RdbWriter wb = new RdbWriter(b, RdbWriter.Options.defaults().withCompression(true));
        wb.writeHeader();
        wb.writeAux("redis-ver", "7.0.15");
        RdbRecordEncoder enc = new RdbRecordEncoder();
        byte[] block = new byte[1 << 16];
        int pos = 0;
        for (Rec r : recs) {
            int need = RdbRecordEncoder.MAX_SELECTDB_SIZE + RdbRecordEncoder.maxStringRecordSize(r.key().length, r.value().length);
            if (pos + need > block.length) {
                wb.writeRaw(block, 0, pos);
                pos = 0;
            }
            int start = pos;
            pos = RdbRecordEncoder.selectDb(block, pos, r.db());
            pos = enc.stringRecord(block, pos, r.key(), 0, r.key().length, r.value(), 0, r.value().length, r.expire());
            assertThat(pos - start).isLessThanOrEqualTo(need);
        }
        wb.writeRaw(block, 0, pos);
        wb.finish();
        assertThat(b.toByteArray()).isEqualTo(a.toByteArray());
    }

    @Test
    void writeRawOnlyBetweenKeys() throws Exception {
        RdbWriter w = new RdbWriter(new ByteArrayOutputStream());
        assertThatThrownBy(() -> w.writeRaw(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
        w.writeHeader();
        assertThatThrownBy(() -> w.writeRaw(new byte[1], 0, 2)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
