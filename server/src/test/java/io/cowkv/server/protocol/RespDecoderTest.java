package io.cowkv.server.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RespDecoderTest {
    private static final long MB512 = 512L * 1024 * 1024;

    /** Feeds {@code bytes} in the given chunk sizes, collecting every decoded command. */
    private static final class Feeder {
        final RespDecoder decoder;
        final List<List<String>> commands = new ArrayList<>();
        boolean ok = true;
        ByteBuf pending;

        Feeder(long maxBulk, long maxQuery) {
            decoder = new RespDecoder(maxBulk, maxQuery);
        }

        Feeder() {
            this(MB512, 1L << 30);
        }

        void feed(byte[] chunk) {
            ByteBuf in = Unpooled.buffer();
            if (pending != null) {
                in.writeBytes(pending);
                pending.release();
                pending = null;
            }
            in.writeBytes(chunk);
            ok = decoder.decode(in, args -> {
                List<String> c = new ArrayList<>();
                for (int i = 0; i < args.count(); i++) {
                    c.add(new String(args.data(), args.offset(i), args.length(i), StandardCharsets.ISO_8859_1));
                }
                commands.add(c);
                return true;
            });
            if (in.isReadable()) {
                pending = in;
            } else {
                in.release();
            }
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String multibulk(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    @Test
    void decodesPipelinedMultibulkAndInline() {
        Feeder f = new Feeder();
        f.feed(b(multibulk("SET", "k", "v") + multibulk("GET", "k") + "PING\r\n" + "ECHO  \"a b\"\n"));
        assertThat(f.ok).isTrue();
        assertThat(f.commands).containsExactly(List.of("SET", "k", "v"), List.of("GET", "k"),
                List.of("PING"), List.of("ECHO", "a b"));
    }

    @Test
    void oneByteAtATimeGivesTheSameCommands() {
        String stream = multibulk("SET", "key:1", "x".repeat(1000)) + multibulk("", "") + "*0\r\n"
                + "  GET 'k\\'1'  \r\n" + multibulk("MGET", "a", "b", "c");
        Feeder f = new Feeder();
        for (byte x : b(stream)) {
            f.feed(new byte[]{x});
        }
        assertThat(f.ok).isTrue();
        assertThat(f.commands).containsExactly(List.of("SET", "key:1", "x".repeat(1000)), List.of("", ""),
                List.of("GET", "k'1"), List.of("MGET", "a", "b", "c"));
    }

    @Property(tries = 200)
    void randomSplitsDecodeLikeOneRead(@ForAll @IntRange(min = 0, max = 1_000_000) int seed) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder();
        List<List<String>> expected = new ArrayList<>();
        int n = 1 + rnd.nextInt(20);
        for (int i = 0; i < n; i++) {
            int argc = 1 + rnd.nextInt(4);
            String[] args = new String[argc];
            for (int j = 0; j < argc; j++) {
                char[] cs = new char[rnd.nextInt(40)];
                for (int k = 0; k < cs.length; k++) {
                    cs[k] = (char) rnd.nextInt(256); // binary-safe, including \r and \n
                }
                args[j] = new String(cs);
            }
            sb.append(multibulk(args));
            expected.add(List.of(args));
        }
        byte[] all = b(sb.toString());
        Feeder f = new Feeder();
        int p = 0;
        while (p < all.length) {
            int len = Math.min(all.length - p, 1 + rnd.nextInt(30));
            byte[] chunk = new byte[len];
            System.arraycopy(all, p, chunk, 0, len);
            f.feed(chunk);
            p += len;
        }
        assertThat(f.ok).isTrue();
        assertThat(f.commands).isEqualTo(expected);
    }

    private static String errorOf(String input, long maxBulk) {
        Feeder f = new Feeder(maxBulk, 1L << 30);
        f.feed(b(input));
        assertThat(f.ok).as("decoding %s must fail", input).isFalse();
        return f.decoder.error();
    }

    @Test
    void protocolErrorsUseRedisWords() {
        assertThat(errorOf("*abc\r\n", MB512)).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(errorOf("*3000000000\r\n", MB512)).isEqualTo("Protocol error: invalid multibulk length");
        assertThat(errorOf("*1\r\nx\r\n", MB512)).isEqualTo("Protocol error: expected '$', got 'x'");
        assertThat(errorOf("*1\r\n$-1\r\n", MB512)).isEqualTo("Protocol error: invalid bulk length");
        assertThat(errorOf("*1\r\n$abc\r\n", MB512)).isEqualTo("Protocol error: invalid bulk length");
        assertThat(errorOf("*1\r\n$2000000\r\n", 1024 * 1024)).isEqualTo("Protocol error: invalid bulk length");
        assertThat(errorOf("GET \"unbalanced\r\n", MB512)).isEqualTo("Protocol error: unbalanced quotes in request");
        assertThat(errorOf("GET \"a\"b\r\n", MB512)).isEqualTo("Protocol error: unbalanced quotes in request");
    }

    @Test
    void overlongLinesAreRejected() {
        String big = "x".repeat(RespDecoder.INLINE_MAX_SIZE + 10);
        assertThat(errorOf(big, MB512)).isEqualTo("Protocol error: too big inline request");
        assertThat(errorOf("*" + "1".repeat(RespDecoder.INLINE_MAX_SIZE + 10), MB512))
                .isEqualTo("Protocol error: too big mbulk count string");
        assertThat(errorOf("*1\r\n$" + "1".repeat(RespDecoder.INLINE_MAX_SIZE + 10), MB512))
                .isEqualTo("Protocol error: too big bulk count string");
    }

    @Test
    void queryBufferLimitClosesWithoutReply() {
        Feeder f = new Feeder(MB512, 1024 * 1024);
        f.feed(b("*1\r\n$2000000\r\n"));
        assertThat(f.ok).isFalse();
        assertThat(f.decoder.error()).isEqualTo(RespDecoder.QUERY_BUFFER_LIMIT);
    }

    @Test
    void incompleteInputWaitsWithoutError() {
        Feeder f = new Feeder();
        f.feed(b("*2\r\n$3\r\nGET\r\n$5\r\nab"));
        assertThat(f.ok).isTrue();
        assertThat(f.commands).isEmpty();
        f.feed(b("cde\r\n"));
        assertThat(f.commands).containsExactly(List.of("GET", "abcde"));
    }

    @Test
    void inlineEscapesFollowSdssplitargs() {
        Feeder f = new Feeder();
        f.feed(b("SET \"a\\x41\\n\" 'it\\'s'\r\n\r\n"));
        assertThat(f.commands).containsExactly(List.of("SET", "aA\n", "it's"));
    }

    @Test
    void stopsWhenSinkSaysStop() {
        RespDecoder d = new RespDecoder(MB512, 1L << 30);
        ByteBuf in = Unpooled.copiedBuffer(b(multibulk("QUIT") + multibulk("PING")));
        List<String> seen = new ArrayList<>();
        boolean go = d.decode(in, args -> {
            seen.add(args.string(0));
            return false;
        });
        assertThat(go).isFalse();
        assertThat(d.error()).isNull();
        assertThat(seen).containsExactly("QUIT");
        in.release();
    }
}
