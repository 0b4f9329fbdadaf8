package io.cowkv.it;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Byte arrays for tests: seeded noise and ASCII text. */
public final class TestBytes {
    private TestBytes() {
    }

    /** {@code n} bytes of noise from {@code seed} (the same every run). */
    public static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
