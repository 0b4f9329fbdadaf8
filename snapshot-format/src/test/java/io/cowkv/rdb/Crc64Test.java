package io.cowkv.rdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Crc64Test {
    @Test
    void checkValueOfRedisCrc64() {
        assertThat(Crc64.of("123456789".getBytes(StandardCharsets.US_ASCII))).isEqualTo(0xe9c6d914c4b8d9caL);
    }

    @Test
    void emptyIsZero() {
        assertThat(Crc64.of(new byte[0])).isZero();
    }

    @Test
    void slicedUpdateEqualsByteWise() {
        Random r = new Random(42);
        for (int n = 0; n < 200; n++) {
            byte[] b = new byte[r.nextInt(100)];
            r.nextBytes(b);
            Crc64 c = new Crc64();
            for (byte x : b) {
                c.update(x);
            }
            assertThat(Crc64.of(b)).isEqualTo(c.value());
            int split = b.length == 0 ? 0 : r.nextInt(b.length);
            long two = Crc64.update(Crc64.update(0, b, 0, split), b, split, b.length - split);
            assertThat(two).isEqualTo(c.value());
        }
    }
}
