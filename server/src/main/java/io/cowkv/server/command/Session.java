package io.cowkv.server.command;

import io.cowkv.server.protocol.Reply;

/**
 * One connected client as commands see it: selected database, name, protocol, reply mode, and
 * what CLIENT LIST shows. Created by the network layer, which fills in addresses and the closer.
 * Contract: read and written on the keyspace thread only.
 */
public final class Session {
    public enum ReplyMode { ON, OFF, SKIP }

    public final long id;
    public final String addr;
    public final String laddr;
    public final long createdMillis;
    private final Reply reply = new Reply();
    private final ReplySink sink = new ReplySink(reply);
    private final Runnable closer;
    public int db;
    public String name = "";
    public String libName = "";
    public String libVer = "";
    public long lastInteractionMillis;
    public String lastCommand = "NULL";
    public ReplyMode replyMode = ReplyMode.ON;
    /** Set for the one command after CLIENT REPLY SKIP. */
    public boolean skipNext;
    public boolean noEvict;
    public boolean noTouch;
    /** Close the connection once the replies written so far are flushed (QUIT, protocol error, KILL). */
    public boolean closeAfterReply;
    /**
     * Bytes waiting in the query buffer, and output waiting behind a large reply still being sent
     * (CLIENT LIST {@code omem}), refreshed by the network layer for CLIENT LIST.
     */
    public long queryBufferBytes;
    public long outputBufferBytes;

    public Session(long id, String addr, String laddr, long nowMillis, Runnable closer) {
        this.id = id;
        this.addr = addr;
        this.laddr = laddr;
        this.createdMillis = nowMillis;
        this.lastInteractionMillis = nowMillis;
        this.closer = closer;
    }

    public Reply reply() {
        return reply;
    }

    /** Writes stored values into this session's reply. */
    public ReplySink sink() {
        return sink;
    }

    /** Closes the connection now (CLIENT KILL of another client); safe on the keyspace thread. */
    public void kill() {
        closeAfterReply = true;
        closer.run();
    }
}
