package io.cowkv.server.command;

import io.cowkv.server.keyspace.ByteSink;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.protocol.Reply;
import io.cowkv.server.util.Numbers;

/**
 * Copies stored values straight into a reply. One per session (no allocation per command).
 */
public final class ReplySink implements ByteSink {
    private final Reply reply;

    public ReplySink(Reply reply) {
        this.reply = reply;
    }

    @Override
    public void bytes(byte[] b, int off, int len) {
        reply.payload(b, off, len);
    }

    @Override
    public boolean acceptsNative() {
        return reply.nativeCopySupported();
    }

    @Override
    public void nativeBytes(long address, int len) {
        reply.payload(address, len);
    }

    /**
     * Replies with bytes {@code [from, from + len)} of a string entry's value as a bulk string
     * (GETRANGE); the range lies inside the value. No allocation for either encoding.
     */
    public void stringRange(Entry e, int from, int len) {
        if (e.isInt()) {
            int n = Numbers.writeLong(e.longValue(), digits, 0);
            reply.bulk(digits, from, Math.min(len, n - from));
        } else {
            reply.beginBulk(len);
            e.writeRange(this, from, len);
            reply.endBulk();
        }
    }

    /** Scratch for the digits of an int-encoded value. */
    private final byte[] digits = new byte[20];

    /** Replies with a string entry's value as a bulk string. */
    public void stringValue(Entry e) {
        if (e.isInt()) {
            reply.bulkLong(e.longValue());
        } else {
            reply.beginBulk(e.stringLength());
            e.writeString(this);
            reply.endBulk();
        }
    }
}
