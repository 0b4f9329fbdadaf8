package io.cowkv.server.protocol;

import io.cowkv.server.util.Numbers;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of one decoded command, as slices of one reusable byte array.
 *
 * <p>Contract: owned by one connection and reused for every command it sends; a slice is valid
 * until the decoder starts the next command. Handlers copy what they keep ({@link #copy}).
 * Nothing here allocates per command once the buffers have grown to the connection's working size.
 */
public final class CommandArgs {
    /** Buffers above this size are dropped after the command that needed them (Redis frees big query buffers too). */
    private static final int SHRINK_ABOVE = 1 << 20;
    private static final int INITIAL_BYTES = 512;
    private static final int INITIAL_ARGS = 8;

    private byte[] data = new byte[INITIAL_BYTES];
    private int used;
    private int[] offsets = new int[INITIAL_ARGS];
    private int[] lengths = new int[INITIAL_ARGS];
    private int count;
    /** Arguments a handler marked secret ({@link #redact}), {@code redactedCount} of them. */
    private int[] redacted = new int[2];
    private int redactedCount;

    /** Starts a new command, dropping oversized buffers of the previous one. */
    void reset() {
        if (data.length > SHRINK_ABOVE) {
            data = new byte[INITIAL_BYTES];
        }
        if (offsets.length > 1024) {
            offsets = new int[INITIAL_ARGS];
            lengths = new int[INITIAL_ARGS];
        }
        used = 0;
        count = 0;
        redactedCount = 0;
    }

    /** Reserves room for an argument of {@code len} bytes and returns its offset in {@link #data()}. */
    int beginArg(int len) {
        if (count == offsets.length) {
            int n = count * 2;
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
        }
        ensureCapacity(used + len);
        offsets[count] = used;
        lengths[count] = len;
        count++;
        int at = used;
        used += len;
        return at;
    }

    /** Adds a complete argument (used by the inline parser and by tests). */
    public void add(byte[] src, int off, int len) {
        int at = beginArg(len);
        System.arraycopy(src, off, data, at, len);
    }

    public void add(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        add(b, 0, b.length);
    }

    private void ensureCapacity(int need) {
        if (need > data.length) {
            int n = Math.max(need, (int) Math.min(Integer.MAX_VALUE - 8L, data.length * 2L));
            data = Arrays.copyOf(data, n);
        }
    }

    /** Clears all arguments (for tests and for reusing an instance outside the decoder). */
    public void clear() {
        reset();
    }

    public int count() {
        return count;
    }

    /** The shared backing array: argument {@code i} is {@code data()[offset(i) .. offset(i)+length(i))}. */
    public byte[] data() {
        return data;
    }

    public int offset(int i) {
        return offsets[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    /**
     * Marks argument {@code i} as secret (a password): whatever records the command afterwards
     * (the slow log) shows {@code (redacted)} instead, as Redis's redactClientCommandArgument. Valid
     * until the next command.
     */
    public void redact(int i) {
        if (redactedCount == redacted.length) {
            redacted = Arrays.copyOf(redacted, redactedCount * 2);
        }
        redacted[redactedCount++] = i;
    }

    public boolean isRedacted(int i) {
        for (int j = 0; j < redactedCount; j++) {
            if (redacted[j] == i) {
                return true;
            }
        }
        return false;
    }

    public byte[] copy(int i) {
        return Arrays.copyOfRange(data, offsets[i], offsets[i] + lengths[i]);
    }

    public String string(int i) {
        return new String(data, offsets[i], lengths[i], StandardCharsets.UTF_8);
    }

    /** True when argument {@code i} equals {@code lowerAscii} ignoring ASCII case; {@code lowerAscii} must be lower case. */
    public boolean is(int i, String lowerAscii) {
        int len = lengths[i];
        if (len != lowerAscii.length()) {
            return false;
        }
        int off = offsets[i];
        for (int j = 0; j < len; j++) {
            if (LOWER[data[off + j] & 0xff] != lowerAscii.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    /**
     * ASCII lower case of each byte value (other bytes map to themselves). A table rather than a
     * range test: the JIT compiles a range test that only ever saw upper-case names (Jedis,
     * redis-benchmark) with a trap for lower case, so the first lower-case command (redis-cli's
     * {@code bgsave}) threw away the compiled read loop the dispatch is inlined into
     * (docs/benchmarks-cow.md, session 13). {@code CommandRegistry} uses it through {@link #lowerAscii}.
     */
    private static final byte[] LOWER = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            LOWER[c] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
    }

    /** ASCII lower case of byte {@code b} as an unsigned value. */
    public static int lowerAscii(byte b) {
        return LOWER[b & 0xff] & 0xff;
    }

    /** Argument {@code i} lower-cased as a String (for command names and option keywords). */
    public String lower(int i) {
        char[] chars = new char[lengths[i]];
        int off = offsets[i];
        for (int j = 0; j < chars.length; j++) {
            chars[j] = (char) lowerAscii(data[off + j]);
        }
        return new String(chars);
    }

    /**
     * Parses argument {@code i} as a Redis integer (strict: no spaces, no '+', no leading zeros,
     * fits a signed 64-bit value). Returns {@code false} when it is not one; the value goes to {@code out[0]}.
     */
    public boolean parseLong(int i, long[] out) {
        return Numbers.parseLong(data, offsets[i], lengths[i], out);
    }
}
