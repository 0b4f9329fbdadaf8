package io.cowkv.server.protocol;

import io.cowkv.server.util.Numbers;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Writes replies in RESP2 or RESP3 into the connection's output buffer for the current read batch.
 *
 * <p>Contract: one instance per connection, used on its event loop only. The target buffer is set
 * by the connection before a batch ({@link #target}) and flushed by it once per batch. Writing
 * numbers and constant replies allocates nothing on the heap. Types RESP2 lacks are downgraded as
 * Redis does: maps become flat arrays, sets arrays, doubles bulk strings, booleans integers, nulls
 * {@code $-1}/{@code *-1}, verbatim strings bulk strings.
 *
 * <p>Large bulk strings ({@link #LARGE_BULK_MIN} bytes or more), once the connection has allowed
 * them ({@link #largeBulks}), are not copied into the target buffer: their payload goes into a
 * {@link LargeBulk} and the replies after it into a new buffer. The output of a batch is then a
 * sequence of parts ({@link #drainParts}) followed by the current target. {@link #mark} and
 * {@link #rewind} take back replies across parts.
 */
public final class Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL_BULK2 = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL_ARRAY2 = "*-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NULL3 = "_\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] SMALL_INTS = new byte[64][];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    /** Bulk payloads of this many bytes or more become a {@link LargeBulk} (see the class comment). */
    public static final int LARGE_BULK_MIN = 1 << 20;

    private final byte[] scratch = new byte[24];
    private ByteBuf out;
    /** Allocates the buffer after each large bulk; null while large bulks are not allowed. */
    private ByteBufAllocator alloc;
    /** Finished output before {@link #out}: buffers and large bulks in order (owned here until drained). */
    private final List<Object> parts = new ArrayList<>();
    /** The large bulk being written, between {@link #beginBulk} and {@link #endBulk}. */
    private LargeBulk large;
    private int protocol = 2;
    private int count;
    private int errors;
    private String lastErrorType = "";
    private boolean lastErrorRejected;

    public void target(ByteBuf out) {
        this.out = out;
    }

    public ByteBuf target() {
        return out;
    }

    /**
     * Lets bulk strings of {@link #LARGE_BULK_MIN} bytes or more become {@link LargeBulk} parts;
     * {@code alloc} gives the buffer for the replies after each. The owner must then send and free
     * the parts ({@link #drainParts}) and call {@link #discard} when the connection ends.
     */
    public void largeBulks(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    /**
     * Moves the finished parts before the current target (a {@link ByteBuf} or a {@link LargeBulk}
     * each, in reply order) to {@code to}; the caller owns them from then on and sends them before
     * the target.
     */
    public void drainParts(Collection<Object> to) {
        to.addAll(parts);
        parts.clear();
    }

    /** Whether a large bulk reply waits in the parts. */
    public boolean hasParts() {
        return !parts.isEmpty();
    }

    /** A position in the output, to {@link #rewind} to; taken between replies. */
    public long mark() {
        return ((long) parts.size() << 32) | out.writerIndex();
    }

    /** Takes back everything written since {@code mark} (parts included, freed). */
    public void rewind(long mark) {
        int index = (int) (mark >>> 32);
        if (large != null) {
            large.free();
            large = null;
        }
        if (parts.size() > index) {
            if (out != null) {
                out.release();
            }
            for (int i = parts.size() - 1; i > index; i--) {
                release(parts.remove(i));
            }
            out = (ByteBuf) parts.remove(index);
        }
        out.writerIndex((int) mark);
    }

    /** Releases the target, the parts and any large bulk being written (the connection has ended). */
    public void discard() {
        if (large != null) {
            large.free();
            large = null;
        }
        for (Object p : parts) {
            release(p);
        }
        parts.clear();
        if (out != null) {
            out.release();
            out = null;
        }
    }

    private static void release(Object part) {
        if (part instanceof LargeBulk) {
            ((LargeBulk) part).free();
        } else {
            ((ByteBuf) part).release();
        }
    }

    /** 2 or 3, as chosen by HELLO. */
    public int protocol() {
        return protocol;
    }

    public void protocol(int version) {
        this.protocol = version;
    }

    public boolean resp3() {
        return protocol == 3;
    }

    /** Number of top-level replies written so far (for tests and CLIENT REPLY bookkeeping). */
    public int count() {
        return count;
    }

    /** Marks the start of a new top-level reply. */
    public Reply top() {
        count++;
        return this;
    }

    public void raw(byte[] bytes) {
        out.writeBytes(bytes);
    }

    /** An array of simple strings, one per line (the HELP replies). */
    public void simpleLines(String... lines) {
        array(lines.length);
        for (String l : lines) {
            simple(l);
        }
    }

    public void ok() {
        out.writeBytes(OK);
    }

    public void simple(String s) {
        out.writeByte('+');
        out.writeCharSequence(s, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    /** Error replies written so far (the dispatcher counts failed calls by watching this). */
    public int errors() {
        return errors;
    }

    /** Type (first word) of the last error written, e.g. ERR or WRONGTYPE. */
    public String lastErrorType() {
        return lastErrorType;
    }

    /** Whether the last error was a rejection before the command ran (arity, OOM...). */
    public boolean lastErrorRejected() {
        return lastErrorRejected;
    }

    /** An error that rejected the command before it ran (counted as rejected_calls). */
    public void rejected(ErrorReply e) {
        error(e);
        lastErrorRejected = true;
    }

    /** An error reply; {@code message} is the full text after '-', e.g. {@code ERR syntax error}. */
    public void error(String message) {
        errors++;
        int sp = message.indexOf(' ');
        lastErrorType = sp < 0 ? message : message.substring(0, sp);
        lastErrorRejected = false;
        out.writeByte('-');
        out.writeCharSequence(message, StandardCharsets.UTF_8);
        out.writeBytes(CRLF);
    }

    /** An error reply from raw bytes (text that echoes a client's bytes as they are, as Redis does). */
    public void error(byte[] message) {
        errors++;
        int sp = 0;
        while (sp < message.length && message[sp] != ' ') {
            sp++;
        }
        lastErrorType = new String(message, 0, sp, StandardCharsets.US_ASCII);
        lastErrorRejected = false;
        out.writeByte('-');
        out.writeBytes(message);
        out.writeBytes(CRLF);
    }

    public void error(ErrorReply e) {
        errors++;
        lastErrorType = e.type();
        lastErrorRejected = false;
        out.writeBytes(e.encoded());
    }

    public void integer(long v) {
        if (v >= 0 && v < SMALL_INTS.length) {
            out.writeBytes(SMALL_INTS[(int) v]);
            return;
        }
        prefixed((byte) ':', v);
    }

    public void bulk(byte[] b) {
        bulk(b, 0, b.length);
    }

    public void bulk(byte[] b, int off, int len) {
        if (len >= LARGE_BULK_MIN && alloc != null) {
            beginBulk(len);
            payload(b, off, len);
            endBulk();
            return;
        }
        prefixed((byte) '$', len);
        out.writeBytes(b, off, len);
        out.writeBytes(CRLF);
    }

    public void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The decimal form of {@code v} as a bulk string (what GET returns for an integer-encoded value). */
    public void bulkLong(long v) {
        prefixed((byte) '$', Numbers.digits(v));
        int end = Numbers.writeLong(v, scratch, 0);
        out.writeBytes(scratch, 0, end);
        out.writeBytes(CRLF);
    }

    /** Starts a bulk string of {@code len} bytes whose payload the caller writes with {@link #payload} calls, then {@link #endBulk}. */
    public void beginBulk(long len) {
        if (len >= LARGE_BULK_MIN && alloc != null && len <= Integer.MAX_VALUE - 2) {
            LargeBulk l = new LargeBulk((int) len + 2);
            prefixed((byte) '$', len);
            parts.add(out);
            out = null;
            large = l;
            return;
        }
        prefixed((byte) '$', len);
        out.ensureWritable((int) Math.min(len + 2, Integer.MAX_VALUE));
    }

    private static final boolean NATIVE_COPY = PlatformDependent.hasUnsafe();

    /**
     * Whether {@link #payload(long, int)} may be used: Netty needs raw memory access for it, which
     * JDK 24+ withholds unless started with {@code --sun-misc-unsafe-memory-access=allow}.
     */
    public boolean nativeCopySupported() {
        return NATIVE_COPY || large != null;
    }

    /** Copies {@code len} bytes of native memory at {@code address} into the reply; see {@link #nativeCopySupported()}. */
    public void payload(long address, int len) {
        if (large != null) {
            large.writeNative(address, len);
            return;
        }
        out.ensureWritable(len);
        int wi = out.writerIndex();
        if (out.hasMemoryAddress()) {
            PlatformDependent.copyMemory(address, out.memoryAddress() + wi, len);
        } else if (out.hasArray()) {
            PlatformDependent.copyMemory(address, out.array(), out.arrayOffset() + wi, len);
        } else {
            for (int i = 0; i < len; i++) {
                out.setByte(wi + i, PlatformDependent.getByte(address + i));
            }
        }
        out.writerIndex(wi + len);
    }

    public void payload(byte[] b, int off, int len) {
        if (large != null) {
            large.write(b, off, len);
            return;
        }
        out.writeBytes(b, off, len);
    }

    public void endBulk() {
        if (large != null) {
            large.write(CRLF, 0, 2);
            if (!large.complete()) {
                throw new IllegalStateException("large bulk reply ended before its declared length");
            }
            parts.add(large);
            large = null;
            out = alloc.ioBuffer(256);
            return;
        }
        out.writeBytes(CRLF);
    }

    public void nullBulk() {
        out.writeBytes(resp3() ? NULL3 : NULL_BULK2);
    }

    public void nullArray() {
        out.writeBytes(resp3() ? NULL3 : NULL_ARRAY2);
    }

    public void array(long n) {
        prefixed((byte) '*', n);
    }

    /** A map of {@code n} pairs: RESP3 {@code %n}, RESP2 an array of 2n. */
    public void map(long n) {
        if (resp3()) {
            prefixed((byte) '%', n);
        } else {
            prefixed((byte) '*', n * 2);
        }
    }

    public void set(long n) {
        prefixed(resp3() ? (byte) '~' : (byte) '*', n);
    }

    public void bool(boolean b) {
        if (resp3()) {
            out.writeBytes(b ? "#t\r\n".getBytes(StandardCharsets.US_ASCII) : "#f\r\n".getBytes(StandardCharsets.US_ASCII));
        } else {
            integer(b ? 1 : 0);
        }
    }

    /** A double as Redis formats it (%.17g, inf/-inf/nan): RESP3 {@code ,}, RESP2 bulk string. */
    public void doubleValue(double d) {
        String s = DoubleFormat.format(d);
        if (resp3()) {
            out.writeByte(',');
            out.writeCharSequence(s, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
        } else {
            bulk(s);
        }
    }

    /** A verbatim string (INFO, CLIENT INFO...): RESP3 {@code =len\r\ntxt:...}, RESP2 bulk string. */
    public void verbatim(CharSequence text) {
        if (isAscii(text)) {
            // INFO's text, the common case: written straight into the buffer, no byte[] on the way
            int n = text.length();
            if (resp3()) {
                prefixed((byte) '=', n + 4L);
                out.writeBytes(TXT);
            } else {
                prefixed((byte) '$', n);
            }
            out.writeCharSequence(text, StandardCharsets.US_ASCII);
            out.writeBytes(CRLF);
            return;
        }
        byte[] b = text.toString().getBytes(StandardCharsets.UTF_8);
        if (resp3()) {
            prefixed((byte) '=', b.length + 4L);
            out.writeBytes(TXT);
            out.writeBytes(b);
            out.writeBytes(CRLF);
        } else {
            bulk(b);
        }
    }

    private static final byte[] TXT = "txt:".getBytes(StandardCharsets.US_ASCII);

    private static boolean isAscii(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private void prefixed(byte type, long n) {
        out.writeByte(type);
        int end = Numbers.writeLong(n, scratch, 0);
        out.writeBytes(scratch, 0, end);
        out.writeBytes(CRLF);
    }
}
