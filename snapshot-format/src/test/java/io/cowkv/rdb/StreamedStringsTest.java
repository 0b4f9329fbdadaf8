package io.cowkv.rdb;

import io.cowkv.rdb.lzf.Lzf;
import io.cowkv.rdb.lzf.LzfStreamDecoder;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * String values handed on in pieces: the LZF stream decoder against the whole-array one (same
 * bytes, same verdict on corrupt input), and the reader streaming raw and LZF values to a visitor
 * that asks for it, with the checksum still verified; the writer's streamed (raw) strings read back.
 */
class StreamedStringsTest {
    /** Data LZF compresses: runs, repeats at every distance up to and past 8 KiB, and noise. */
    private static byte[] compressible(int n, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[n];
        for (int i = 0; i < n; ) {
            int kind = r.nextInt(4);
            int len = Math.min(n - i, 1 + r.nextInt(kind == 0 ? 40 : 600));
            for (int j = 0; j < len; j++, i++) {
                if (kind == 0 || i < 9000) {
                    b[i] = (byte) r.nextInt(256);
                } else if (kind == 1) {
                    b[i] = b[i - 1 - r.nextInt(3)];
                } else {
                    int dist = kind == 2 ? 8192 : 1 + r.nextInt(8192);
                    b[i] = b[i - dist];
                }
            }
        }
        return b;
    }

    /** An input over {@code c[0, len)} that fails past its end, as a file would. */
    private static LzfStreamDecoder.Input input(byte[] c, int len) {
        return new LzfStreamDecoder.Input() {
            int at;

            @Override
            public int u8() throws IOException {
                if (at >= len) {
                    throw new EOFException();
                }
                return c[at++] & 0xff;
            }

            @Override
            public void read(byte[] b, int off, int n) throws IOException {
                if (at + n > len) {
                    throw new EOFException();
                }
                System.arraycopy(c, at, b, off, n);
                at += n;
            }
        };
    }

    private static String decode(byte[] c, int clen, int ulen, ByteArrayOutputStream out) throws IOException {
        return LzfStreamDecoder.decode(input(c, clen), clen, ulen, (b, off, len) -> {
            assertThat(len).isPositive();
            out.write(b, off, len);
        });
    }

    @Test
    void theStreamDecoderGivesTheBytesLzfWasGiven() throws IOException {
        Lzf lzf = new Lzf();
        for (int n : new int[]{30, 100, 8191, 8193, 20_000, 65536, 65536 + 8192 + 7, 300_000, 1_000_003}) {
            // the generator's first 9,000 bytes are noise: short inputs repeat a pattern instead
            byte[] data = n < 20_000 ? Arrays.copyOf("abcdefgh".repeat(n / 8 + 1).getBytes(StandardCharsets.US_ASCII), n)
                    : compressible(n, n);
            int clen = lzf.compress(data, 0, data.length);
            assertThat(clen).as("compressible at %d", n).isPositive();
            byte[] c = Arrays.copyOf(lzf.buffer(), clen);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(decode(c, clen, n, out)).isNull();
            assertThat(out.toByteArray()).as("size %d", n).isEqualTo(data);
        }
    }

    @Test
    void corruptInputGetsTheSameVerdictAsTheWholeArrayDecoder() throws IOException {
        Lzf lzf = new Lzf();
        byte[] data = compressible(100_000, 7);
        int clen = lzf.compress(data, 0, data.length);
        byte[] good = Arrays.copyOf(lzf.buffer(), clen);
        Random r = new Random(11);
        for (int trial = 0; trial < 400; trial++) {
            byte[] c = good.clone();
            int cut = clen;
            int ulen = data.length;
            switch (trial % 4) {
                case 0 -> c[r.nextInt(clen)] = (byte) r.nextInt(256);
                case 1 -> cut = r.nextInt(clen);
                case 2 -> ulen = r.nextInt(data.length * 2);
                default -> {
                    c[r.nextInt(clen)] ^= (byte) (1 << r.nextInt(8));
                    ulen += r.nextInt(3) - 1;
                }
            }
            String whole = Lzf.decompress(c, 0, cut, new byte[ulen], 0, ulen);
            String streamed = decode(c, cut, ulen, new ByteArrayOutputStream());
            assertThat(streamed).as("trial %d", trial).isEqualTo(whole);
        }
    }

    /** Collects strings whole or in pieces; streams those of {@code from} bytes or more. */
    private static final class Collector implements RdbVisitor {
        final long from;
        final Map<String, byte[]> values = new LinkedHashMap<>();
        final List<String> streamedKeys = new ArrayList<>();
        ByteArrayOutputStream pieces;
        String key;
        boolean verified;

        Collector(long from) {
            this.from = from;
        }

        @Override
        public void beginKey(RdbKeyInfo k) {
            key = new String(k.key(), StandardCharsets.ISO_8859_1);
        }

        @Override
        public void stringValue(byte[] value) {
            values.put(key, value);
        }

        @Override
        public boolean streamString(long length) {
            if (length < from) {
                return false;
            }
            streamedKeys.add(key);
            pieces = new ByteArrayOutputStream();
            return true;
        }

        @Override
        public void stringPiece(byte[] b, int off, int len) {
            pieces.write(b, off, len);
        }

        @Override
        public void stringEnd() {
            values.put(key, pieces.toByteArray());
        }

        @Override
        public void endRdb(long checksum, boolean checksumVerified) {
            verified = checksumVerified;
        }
    }

    @Test
    void theReaderStreamsRawAndLzfStringsToAVisitorThatAsks() throws IOException {
        Map<String, byte[]> values = new LinkedHashMap<>();
        values.put("lzf", compressible(300_000, 1));
        byte[] noise = new byte[300_000];
        new Random(2).nextBytes(noise);
        values.put("raw", noise);
        values.put("small", "x".repeat(500).getBytes(StandardCharsets.US_ASCII));
        values.put("int", "12345".getBytes(StandardCharsets.US_ASCII));
        values.put("streamedRaw", compressible(250_000, 3));

        ByteArrayOutputStream file = new ByteArrayOutputStream();
        RdbWriter w = new RdbWriter(file, RdbWriter.Options.defaults());
        w.writeHeader();
        w.selectDb(0);
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
            byte[] k = e.getKey().getBytes(StandardCharsets.US_ASCII);
            byte[] v = e.getValue();
            if (e.getKey().equals("streamedRaw")) {
                w.writeStringKeyStreamed(k, 0, k.length, v.length, (from, dst, len) ->
                        System.arraycopy(v, (int) from, dst, 0, len), RdbWriter.NO_EXPIRY);
            } else {
                w.writeStringKey(k, v, RdbWriter.NO_EXPIRY);
            }
        }
        w.finish();
        byte[] rdb = file.toByteArray();

        Collector streaming = new Collector(100_000);
        RdbReader.read(new ByteArrayInputStream(rdb), streaming);
        Collector whole = new Collector(Long.MAX_VALUE);
        RdbReader.read(new ByteArrayInputStream(rdb), whole);
        assertThat(streaming.streamedKeys).containsExactly("lzf", "raw", "streamedRaw");
        assertThat(whole.streamedKeys).isEmpty();
        for (Map.Entry<String, byte[]> e : values.entrySet()) {
            assertThat(streaming.values.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(whole.values.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(streaming.verified).as("checksum verified over streamed values").isTrue();
        assertThat(whole.verified).isTrue();
    }
}
