package io.cowkv.server.command;

import io.cowkv.server.keyspace.ByteSink;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.protocol.Reply;

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
