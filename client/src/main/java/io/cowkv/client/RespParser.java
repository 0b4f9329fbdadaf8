package io.cowkv.client;

import io.netty.buffer.ByteBuf;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resumable RESP2/RESP3 reply parser. Feed it bytes in any fragmentation (down to one byte at a
 * time); it consumes what it has used from the buffer and keeps partial state (a partial line, a
 * partially read bulk string, a stack of open aggregates) between calls, so no byte is scanned
 * twice.
 *
 * <p>RESP3 attributes ({@code |}) are parsed and dropped. Streamed strings and aggregates
 * ({@code $?}, {@code *?}) are not supported and raise {@link RedisProtocolException}.
 *
 * <p>Not thread-safe: one parser per connection, used on that connection's event loop.
 */
public final class RespParser {
    private static final int TYPE = 0, LINE = 1, BULK = 2, BULK_CRLF = 3;
    private static final int MAX_LINE = 64 * 1024;

    private final int maxBulkBytes;
    private final int maxDepth;

    private int state = TYPE;
    private byte type;
    private byte[] line = new byte[128];
    private int lineLen;
    private byte[] bulk;
    private int bulkPos;
    private int crlfSeen;
    private final ArrayDeque<Frame> stack = new ArrayDeque<>();

    public RespParser() {
        this(512 * 1024 * 1024, 64);
    }

    /**
     * @param maxBulkBytes largest bulk string accepted
     * @param maxDepth largest nesting of aggregates accepted
     */
    public RespParser(int maxBulkBytes, int maxDepth) {
        this.maxBulkBytes = maxBulkBytes;
        this.maxDepth = maxDepth;
    }

    /**
     * Parses the next complete top-level reply from {@code in}.
     *
     * @return the reply, or {@code null} when all readable bytes were consumed and more are needed
     * @throws RedisProtocolException on malformed input; the parser is then unusable
     */
    public Reply parse(ByteBuf in) {
        while (true) {
            Reply value;
            switch (state) {
                case TYPE -> {
                    if (!in.isReadable()) return null;
                    type = in.readByte();
                    lineLen = 0;
                    state = LINE;
                    continue;
                }
                case LINE -> {
                    int end = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
                    if (end < 0) {
                        appendLine(in, in.readableBytes());
                        return null;
                    }
                    appendLine(in, end - in.readerIndex());
                    in.skipBytes(1);
                    if (lineLen == 0 || line[lineLen - 1] != '\r') {
                        throw new RedisProtocolException("line not terminated by CRLF");
                    }
                    lineLen--;
                    state = TYPE;
                    value = onLine();
                    if (value == null) continue;
                }
                case BULK -> {
                    int n = Math.min(bulk.length - bulkPos, in.readableBytes());
                    in.readBytes(bulk, bulkPos, n);
                    bulkPos += n;
                    if (bulkPos < bulk.length) return null;
                    state = BULK_CRLF;
                    crlfSeen = 0;
                    continue;
                }
                case BULK_CRLF -> {
                    while (crlfSeen < 2) {
                        if (!in.isReadable()) return null;
                        byte b = in.readByte();
                        if (b != (crlfSeen == 0 ? '\r' : '\n')) {
                            throw new RedisProtocolException("bulk string not terminated by CRLF");
                        }
                        crlfSeen++;
                    }
                    state = TYPE;
                    value = makeBulk();
                    bulk = null;
                }
                default -> throw new IllegalStateException();
            }
            Reply top = complete(value);
            if (top != null) return top;
        }
    }

    private void appendLine(ByteBuf in, int n) {
        if (lineLen + n > MAX_LINE) throw new RedisProtocolException("line longer than " + MAX_LINE + " bytes");
        if (lineLen + n > line.length) {
            byte[] bigger = new byte[Math.max(line.length * 2, lineLen + n)];
            System.arraycopy(line, 0, bigger, 0, lineLen);
            line = bigger;
        }
        in.readBytes(line, lineLen, n);
        lineLen += n;
    }

    private String lineString() {
        return new String(line, 0, lineLen, StandardCharsets.UTF_8);
    }

    private long lineLong() {
        if (lineLen == 0) throw new RedisProtocolException("empty number");
        long v = 0;
        int i = 0;
        boolean neg = false;
        if (line[0] == '-' || line[0] == '+') {
            neg = line[0] == '-';
            i = 1;
            if (lineLen == 1) throw new RedisProtocolException("bad number");
        }
        for (; i < lineLen; i++) {
            int d = line[i] - '0';
            if (d < 0 || d > 9) throw new RedisProtocolException("bad number: " + lineString());
            v = Math.multiplyExact(v, 10) + d;
        }
        return neg ? -v : v;
    }

    /** Handles a complete header/value line; returns a value or null when more is to be read. */
    private Reply onLine() {
        switch (type) {
            case '+':
                return lineLen == 2 && line[0] == 'O' && line[1] == 'K' ? SimpleStringReply.OK : new SimpleStringReply(lineString());
            case '-':
                return new ErrorReply(lineString());
            case ':':
                return new IntegerReply(lineLong());
            case ',':
                return new DoubleReply(parseDouble(lineString()));
            case '#':
                if (lineLen == 1 && line[0] == 't') return new BooleanReply(true);
                if (lineLen == 1 && line[0] == 'f') return new BooleanReply(false);
                throw new RedisProtocolException("bad boolean: " + lineString());
            case '(':
                try {
                    return new BigNumberReply(new BigInteger(lineString()));
                } catch (NumberFormatException e) {
                    throw new RedisProtocolException("bad big number: " + lineString());
                }
            case '_':
                if (lineLen != 0) throw new RedisProtocolException("bad null");
                return NullReply.INSTANCE;
            case '$':
            case '=':
            case '!': {
                if (lineLen == 1 && line[0] == '?') throw new RedisProtocolException("streamed strings are not supported");
                long len = lineLong();
                if (len == -1 && type == '$') return NullReply.INSTANCE;
                if (len < 0 || len > maxBulkBytes) throw new RedisProtocolException("bad bulk length " + len);
                bulk = new byte[(int) len];
                bulkPos = 0;
                state = BULK;
                return null;
            }
            case '*':
            case '~':
            case '>':
            case '%':
            case '|': {
                if (lineLen == 1 && line[0] == '?') throw new RedisProtocolException("streamed aggregates are not supported");
                long n = lineLong();
                if (n == -1 && type == '*') return NullReply.INSTANCE;
                if (n < 0 || n > Integer.MAX_VALUE / 2) throw new RedisProtocolException("bad aggregate length " + n);
                long elements = (type == '%' || type == '|') ? 2 * n : n;
                if (elements == 0) {
                    if (type == '|') return null; // empty attribute: nothing to deliver
                    return new Frame(type, 0).build();
                }
                if (stack.size() >= maxDepth) throw new RedisProtocolException("aggregates nested deeper than " + maxDepth);
                stack.push(new Frame(type, (int) elements));
                return null;
            }
            default:
                throw new RedisProtocolException("unknown RESP type byte 0x" + Integer.toHexString(type & 0xff));
        }
    }

    private static double parseDouble(String s) {
        switch (s) {
            case "inf":
            case "+inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            case "nan":
            case "-nan":
                return Double.NaN;
            default:
                try {
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new RedisProtocolException("bad double: " + s);
                }
        }
    }

    private Reply makeBulk() {
        if (type == '$') return new BulkReply(bulk);
        if (type == '!') return new ErrorReply(new String(bulk, StandardCharsets.UTF_8));
        if (bulk.length < 4 || bulk[3] != ':') throw new RedisProtocolException("bad verbatim string");
        return new VerbatimReply(new String(bulk, 0, 3, StandardCharsets.UTF_8),
                new String(bulk, 4, bulk.length - 4, StandardCharsets.UTF_8));
    }

    /** Adds a finished value to the open aggregates; returns a finished top-level reply or null. */
    private Reply complete(Reply v) {
        while (true) {
            Frame f = stack.peek();
            if (f == null) return v;
            f.items.add(v);
            if (f.items.size() < f.expected) return null;
            stack.pop();
            v = f.build();
            if (v == null) return null; // an attribute: dropped, the annotated value follows
        }
    }

    private static final class Frame {
        final byte type;
        final int expected;
        final List<Reply> items;

        Frame(byte type, int expected) {
            this.type = type;
            this.expected = expected;
            this.items = new ArrayList<>(Math.min(expected, 1024));
        }

        Reply build() {
            switch (type) {
                case '*':
                    return new ArrayReply(items);
                case '~':
                    return new SetReply(items);
                case '>':
                    return new PushReply(items);
                case '%': {
                    Map<Reply, Reply> m = new LinkedHashMap<>();
                    for (int i = 0; i < items.size(); i += 2) m.put(items.get(i), items.get(i + 1));
                    return new MapReply(m);
                }
                case '|':
                    return null;
                default:
                    throw new IllegalStateException();
            }
        }
    }
}
