package io.cowkv.server.protocol;

import io.cowkv.server.util.Numbers;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

import java.nio.charset.StandardCharsets;

/**
 * Writes replies in RESP2 or RESP3 into the connection's output buffer for the current read batch.
 *
 * <p>Contract: one instance per connection, used on its event loop only. The target buffer is set
 * by the connection before a batch ({@link #target}) and flushed by it once per batch. Writing
 * numbers and constant replies allocates nothing on the heap. Types RESP2 lacks are downgraded as
 * Redis does: maps become flat arrays, sets arrays, doubles bulk strings, booleans integers, nulls
 * {@code $-1}/{@code *-1}, verbatim strings bulk strings.
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

    private final byte[] scratch = new byte[24];
    private ByteBuf out;
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
        prefixed((byte) '$', len);
        out.ensureWritable((int) Math.min(len + 2, Integer.MAX_VALUE));
    }

    private static final boolean NATIVE_COPY = PlatformDependent.hasUnsafe();

    /**
     * Whether {@link #payload(long, int)} may be used: Netty needs raw memory access for it, which
     * JDK 24+ withholds unless started with {@code --sun-misc-unsafe-memory-access=allow}.
     */
    public boolean nativeCopySupported() {
        return NATIVE_COPY;
    }

    /** Copies {@code len} bytes of native memory at {@code address} into the reply; see {@link #nativeCopySupported()}. */
    public void payload(long address, int len) {
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
        out.writeBytes(b, off, len);
    }

    public void endBulk() {
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
