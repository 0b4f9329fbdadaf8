package io.cowkv.server.protocol;

import io.cowkv.server.util.Numbers;

import io.netty.buffer.ByteBuf;
import net.openhft.chronicle.core.UnsafeMemory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The arguments of one decoded command, as slices of one reusable byte array.
 *
 * <p>Contract: owned by one connection and reused for every command it sends; a slice is valid
 * until the decoder starts the next command. Handlers copy what they keep ({@link #copy}).
 * Nothing here allocates per command once the buffers have grown to the connection's working size.
 *
 * <p><b>Big arguments live off the heap.</b> An argument of {@link #NATIVE_MIN} bytes or more is
 * received into native memory of its exact size instead of the heap array (Redis reads such
 * arguments, {@code PROTO_MBULK_BIG_ARG}, into an object of their own too): a 512 MB SET then needs
 * no 512 MB heap array, and the value is copied from there straight into the arena. Such an
 * argument has no heap slice: {@link #offset} throws for it. The dispatcher moves every native
 * argument a command does not take natively to the heap ({@link #toHeap}) before the command runs,
 * so only the handlers that ask for native values ({@code CommandSpec.takesNative}) see them, via
 * {@link #isNative} and {@link #address}. The native memory is owned by this holder and freed by
 * {@link #reset}/{@link #clear} (after each command, and when the connection closes).
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

    /** Arguments at least this long are received into native memory (see the class comment). */
    public static final int NATIVE_MIN = 64 * 1024;
    private static final UnsafeMemory MEM = UnsafeMemory.MEMORY;
    private static final AtomicLong OUTSTANDING = new AtomicLong();
    /** Native address of each argument, 0 for a heap argument; null until the first native one. */
    private long[] addresses;
    private int nativeCount;
    /** Bytes received so far into the argument being received ({@link #receive}). */
    private int receivedInLast;

    /** Starts a new command, dropping oversized buffers and the native arguments of the previous one. */
    void reset() {
        if (nativeCount > 0) {
            freeNative();
        }
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
        growSlots();
        if (addresses != null) {
            addresses[count] = 0;
        }
        ensureCapacity(used + len);
        offsets[count] = used;
        lengths[count] = len;
        count++;
        int at = used;
        used += len;
        return at;
    }

    /**
     * Starts an argument of {@code len} bytes whose bytes then arrive through {@link #receive}:
     * in native memory when {@code len >= NATIVE_MIN}, else in the heap array.
     */
    void beginReceive(int len) {
        receivedInLast = 0;
        if (len < NATIVE_MIN) {
            beginArg(len);
            return;
        }
        growSlots();
        if (addresses == null) {
            addresses = new long[offsets.length];
        }
        addresses[count] = MEM.allocate(len);
        OUTSTANDING.addAndGet(len);
        nativeCount++;
        offsets[count] = -1;
        lengths[count] = len;
        count++;
    }

    /** Copies the next {@code n} bytes of {@code in} into the argument begun by {@link #beginReceive}. */
    void receive(ByteBuf in, int n) {
        int i = count - 1;
        long a = addresses == null ? 0 : addresses[i];
        if (a == 0) {
            in.readBytes(data, offsets[i] + receivedInLast, n);
        } else if (in.hasMemoryAddress()) {
            MEM.copyMemory(in.memoryAddress() + in.readerIndex(), a + receivedInLast, n);
            in.skipBytes(n);
        } else if (in.hasArray()) {
            MEM.writeBytes(a + receivedInLast, in.array(), in.arrayOffset() + in.readerIndex(), n);
            in.skipBytes(n);
        } else {
            byte[] staging = new byte[Math.min(n, 8192)]; // rare: a buffer without either
            for (int done = 0; done < n; ) {
                int piece = Math.min(staging.length, n - done);
                in.readBytes(staging, 0, piece);
                MEM.writeBytes(a + receivedInLast + done, staging, 0, piece);
                done += piece;
            }
        }
        receivedInLast += n;
    }

    /** Whether any argument is in native memory. */
    public boolean hasNative() {
        return nativeCount > 0;
    }

    /** Whether argument {@code i} is in native memory (read it with {@link #address}). */
    public boolean isNative(int i) {
        return addresses != null && addresses[i] != 0;
    }

    /** Native address of argument {@code i} (of {@link #length} bytes); valid until {@link #reset}. */
    public long address(int i) {
        if (!isNative(i)) {
            throw new IllegalStateException("argument " + i + " is on the heap");
        }
        return addresses[i];
    }

    /** Moves native argument {@code i} into the heap array (for commands that read it as bytes). */
    public void toHeap(int i) {
        if (!isNative(i)) {
            return;
        }
        int len = lengths[i];
        ensureCapacity(used + len);
        MEM.readBytes(addresses[i], data, used, len);
        offsets[i] = used;
        used += len;
        freeNative(i);
    }

    /** Native bytes held by all holders (leak checks). */
    public static long outstandingNativeBytes() {
        return OUTSTANDING.get();
    }

    private void freeNative() {
        for (int i = 0; i < count && nativeCount > 0; i++) {
            if (addresses[i] != 0) {
                freeNative(i);
            }
        }
    }

    private void freeNative(int i) {
        MEM.freeMemory(addresses[i], lengths[i]);
        OUTSTANDING.addAndGet(-lengths[i]);
        addresses[i] = 0;
        nativeCount--;
    }

    /** Makes room for one more argument in the per-argument arrays. */
    private void growSlots() {
        if (count == offsets.length) {
            int n = count * 2;
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            if (addresses != null) {
                addresses = Arrays.copyOf(addresses, n);
            }
        }
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

    /** Offset of argument {@code i} in {@link #data()}; throws for a native argument (it has none). */
    public int offset(int i) {
        int o = offsets[i];
        if (o < 0) {
            throw new IllegalStateException("argument " + i + " is in native memory");
        }
        return o;
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
        return copyPrefix(i, lengths[i]);
    }

    /** The first {@code n} bytes (at most the whole) of argument {@code i}, heap or native. */
    public byte[] copyPrefix(int i, int n) {
        n = Math.min(n, lengths[i]);
        if (isNative(i)) {
            byte[] b = new byte[n];
            MEM.readBytes(addresses[i], b, 0, n);
            return b;
        }
        return Arrays.copyOfRange(data, offset(i), offset(i) + n);
    }

    /** Byte {@code k} of argument {@code i}, heap or native. */
    public byte byteAt(int i, int k) {
        java.util.Objects.checkIndex(k, lengths[i]);
        return isNative(i) ? MEM.readByte(addresses[i] + k) : data[offsets[i] + k];
    }

    public String string(int i) {
        return new String(data, offset(i), lengths[i], StandardCharsets.UTF_8);
    }

    /** True when argument {@code i} equals {@code lowerAscii} ignoring ASCII case; {@code lowerAscii} must be lower case. */
    public boolean is(int i, String lowerAscii) {
        int len = lengths[i];
        if (len != lowerAscii.length()) {
            return false;
        }
        int off = offset(i);
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
        int off = offset(i);
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
        return Numbers.parseLong(data, offset(i), lengths[i], out);
    }
}
