package io.cowkv.server.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Resumable decoder of client requests: RESP multibulk ({@code *N\r\n$len\r\n...}) and inline
 * commands (a line of space-separated words, as telnet sends them), following Redis 7's
 * {@code processMultibulkBuffer}/{@code processInlineBuffer} rule by rule, including error texts.
 *
 * <p>Contract: one instance per connection, used on that connection's event loop only. Each call
 * to {@link #decode} consumes what it can from {@code in}; bulk payloads are copied into the
 * reusable {@link CommandArgs} as they arrive, so a partly received value is never scanned twice
 * (big ones into native memory, see {@link CommandArgs}).
 * Every complete command is handed to the sink before the next one is decoded (pipelining).
 */
public final class RespDecoder {
    /** Redis's PROTO_INLINE_MAX_SIZE: longest inline request or length line. */
    public static final int INLINE_MAX_SIZE = 64 * 1024;

    /** Receives decoded commands; returns false to stop decoding (e.g. the connection is closing). */
    public interface Sink {
        boolean onCommand(CommandArgs args);
    }

    private static final int START = 0;
    private static final int BULK_HEADER = 1;
    private static final int BULK_DATA = 2;
    private static final int BULK_CRLF = 3;

    private CommandArgs args = new CommandArgs();
    private long maxBulkLength;
    private long maxQueryBuffer;

    private int state = START;
    private long argsLeft;
    private int bulkLeft;
    private int crlfLeft;
    private long pendingBytes;
    private String error;

    /**
     * @param maxBulkLength  {@code proto-max-bulk-len}
     * @param maxQueryBuffer {@code client-query-buffer-limit}: a request larger than this closes the connection
     */
    public RespDecoder(long maxBulkLength, long maxQueryBuffer) {
        this.maxBulkLength = maxBulkLength;
        this.maxQueryBuffer = maxQueryBuffer;
    }

    public void limits(long maxBulkLength, long maxQueryBuffer) {
        this.maxBulkLength = maxBulkLength;
        this.maxQueryBuffer = maxQueryBuffer;
    }

    /**
     * The protocol error that stopped decoding, as Redis words it without the {@code -ERR } prefix
     * (e.g. {@code Protocol error: invalid bulk length}), or {@code null}. After an error the
     * connection must reply with it and close; {@link #QUERY_BUFFER_LIMIT} means close without a reply.
     */
    public String error() {
        return error;
    }

    /** Marker error: the request exceeded {@code client-query-buffer-limit}; Redis closes silently. */
    public static final String QUERY_BUFFER_LIMIT = "query buffer limit";

    /** Bytes of the command being received so far (the Redis query buffer counterpart). */
    public long pendingBytes() {
        return pendingBytes;
    }

    /**
     * Decodes complete commands from {@code in} and hands each to {@code sink}.
     *
     * @return false when decoding stopped for good: a protocol error ({@link #error()}) or the sink said stop
     */
    public boolean decode(ByteBuf in, Sink sink) {
        if (error != null) {
            return false;
        }
        while (in.isReadable()) {
            switch (state) {
                case START: {
                    byte first = in.getByte(in.readerIndex());
                    int r = first == '*' ? multibulkHeader(in) : inline(in);
                    if (r < 0) {
                        return false;
                    }
                    if (r == 0) {
                        return true; // need more bytes
                    }
                    if (r == 2 && !deliver(sink)) {
                        return false;
                    }
                    break;
                }
                case BULK_HEADER: {
                    int r = bulkHeader(in);
                    if (r < 0) {
                        return false;
                    }
                    if (r == 0) {
                        return true;
                    }
                    break;
                }
                case BULK_DATA: {
                    int n = Math.min(bulkLeft, in.readableBytes());
                    args.receive(in, n);
                    bulkLeft -= n;
                    pendingBytes += n;
                    if (bulkLeft == 0) {
                        state = BULK_CRLF;
                        crlfLeft = 2;
                    }
                    break;
                }
                case BULK_CRLF: {
                    // Redis skips the two bytes after a bulk payload without looking at them.
                    int n = Math.min(crlfLeft, in.readableBytes());
                    in.skipBytes(n);
                    crlfLeft -= n;
                    if (crlfLeft == 0) {
                        argsLeft--;
                        if (argsLeft == 0) {
                            state = START;
                            if (!deliver(sink)) {
                                return false;
                            }
                        } else {
                            state = BULK_HEADER;
                        }
                    }
                    break;
                }
                default:
                    throw new IllegalStateException("decoder state " + state);
            }
        }
        return true;
    }

    /**
     * Hands the command just delivered to {@link Sink#onCommand} over to the caller and continues
     * with {@code replacement} (which the decoder resets). Call only from inside {@code onCommand};
     * lets a sink keep several decoded commands of one read batch without copying them.
     */
    public CommandArgs exchange(CommandArgs replacement) {
        CommandArgs done = args;
        args = replacement;
        return done;
    }

    /** Frees what the command being received holds (its native arguments); the connection has closed. */
    public void release() {
        args.reset();
        state = START;
        pendingBytes = 0;
    }

    private boolean deliver(Sink sink) {
        pendingBytes = 0;
        boolean go = sink.onCommand(args);
        args.reset();
        return go;
    }

    /** @return -1 error, 0 need more, 1 header consumed (or empty command skipped) */
    private int multibulkHeader(ByteBuf in) {
        int start = in.readerIndex();
        int cr = in.indexOf(start, in.writerIndex(), (byte) '\r');
        if (cr < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                return fail("Protocol error: too big mbulk count string");
            }
            return 0;
        }
        if (cr + 1 >= in.writerIndex()) {
            return 0; // the '\n' is not here yet
        }
        long n = parseLength(in, start + 1, cr);
        if (n == Long.MIN_VALUE || n > Integer.MAX_VALUE) {
            return fail("Protocol error: invalid multibulk length");
        }
        in.readerIndex(cr + 2);
        args.reset();
        if (n <= 0) {
            return 1; // empty command: nothing to run
        }
        argsLeft = n;
        state = BULK_HEADER;
        pendingBytes = cr + 2 - start;
        return 1;
    }

    private int bulkHeader(ByteBuf in) {
        int start = in.readerIndex();
        int cr = in.indexOf(start, in.writerIndex(), (byte) '\r');
        if (cr < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                return fail("Protocol error: too big bulk count string");
            }
            return 0;
        }
        if (cr + 1 >= in.writerIndex()) {
            return 0;
        }
        byte first = in.getByte(start);
        if (first != '$') {
            return fail("Protocol error: expected '$', got '" + (char) (first & 0xff) + "'");
        }
        long len = parseLength(in, start + 1, cr);
        if (len == Long.MIN_VALUE || len < 0 || len > maxBulkLength || len > Integer.MAX_VALUE - 16) {
            return fail("Protocol error: invalid bulk length");
        }
        pendingBytes += cr + 2 - start + len + 2 + 16;
        if (pendingBytes > maxQueryBuffer) {
            error = QUERY_BUFFER_LIMIT;
            return -1;
        }
        in.readerIndex(cr + 2);
        args.beginReceive((int) len);
        bulkLeft = (int) len;
        if (len == 0) {
            state = BULK_CRLF;
            crlfLeft = 2;
        } else {
            state = BULK_DATA;
        }
        return 1;
    }

    /** @return -1 error, 0 need more, 1 blank line skipped, 2 command ready in {@link #args} */
    private int inline(ByteBuf in) {
        int start = in.readerIndex();
        int nl = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (nl < 0) {
            if (in.readableBytes() > INLINE_MAX_SIZE) {
                return fail("Protocol error: too big inline request");
            }
            return 0;
        }
        int end = nl;
        if (end > start && in.getByte(end - 1) == '\r') {
            end--;
        }
        byte[] line = new byte[end - start];
        in.getBytes(start, line);
        in.readerIndex(nl + 1);
        args.reset();
        if (!InlineSplitter.split(line, args)) {
            return fail("Protocol error: unbalanced quotes in request");
        }
        return args.count() == 0 ? 1 : 2;
    }

    private int fail(String message) {
        error = message;
        return -1;
    }

    private final byte[] lineScratch = new byte[20];
    private final long[] parsed = new long[1];

    /**
     * Redis string2ll over {@code in[from, to)}: optional '-', no leading zeros, in the signed
     * 64-bit range. One bulk copy into a scratch array, then parsing there (no allocation, and
     * no per-byte calls into the buffer). Returns Long.MIN_VALUE when it is not valid.
     */
    private long parseLength(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > lineScratch.length) {
            return Long.MIN_VALUE;
        }
        in.getBytes(from, lineScratch, 0, len);
        if (!io.cowkv.server.util.Numbers.parseLong(lineScratch, 0, len, parsed) || parsed[0] == Long.MIN_VALUE) {
            return Long.MIN_VALUE;
        }
        return parsed[0];
    }
}
