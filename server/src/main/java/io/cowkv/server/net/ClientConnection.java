package io.cowkv.server.net;

import io.cowkv.server.command.Dispatcher;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Reply;
import io.cowkv.server.protocol.RespDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One client connection: decodes requests straight from the receive buffers, runs each complete
 * command in order, writes all replies of a read batch into one buffer and flushes once per batch.
 *
 * <p>Contract: runs on the single event loop that also owns the keyspace, so every command is
 * atomic. Owns {@code cumulation} (bytes of an incomplete request line) and {@code out} (the
 * batch's replies) and releases both when the connection ends. Stops reading while the socket is
 * not writable, so a client that does not read its replies cannot grow server memory without bound.
 */
final class ClientConnection extends ChannelInboundHandlerAdapter implements RespDecoder.Sink {
    private static final byte[] MAX_CLIENTS = "-ERR max number of clients reached\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ServerContext server;
    private final Dispatcher dispatcher;
    private final ConnectionEvents events;
    private final ReadBatch batch;
    private final PendingFlushes flushes;
    /** Whether this connection waits in {@link #flushes} (owned by {@link PendingFlushes}). */
    boolean queuedForFlush;
    private ChannelHandlerContext ctx;
    private Session session;
    private RespDecoder decoder;
    private ByteBuf cumulation;
    private ByteBuf out;
    private boolean closing;

    /** Notified of connections opening and closing (logging, metrics). */
    interface ConnectionEvents {
        void opened(Session s);

        void closed(Session s);
    }

    /**
     * @param batch   the read batch of this connection's event loop, shared with its other connections
     * @param flushes the pending flushes of this connection's event loop, shared likewise
     */
    ClientConnection(ServerContext server, Dispatcher dispatcher, ConnectionEvents events, ReadBatch batch,
                     PendingFlushes flushes) {
        this.server = server;
        this.dispatcher = dispatcher;
        this.events = events;
        this.batch = batch;
        this.flushes = flushes;
    }

    /** A connection with a read batch of its own that writes its replies at the end of each read cycle (tests). */
    ClientConnection(ServerContext server, Dispatcher dispatcher, ConnectionEvents events) {
        this(server, dispatcher, events, new ReadBatch(), new PendingFlushes(Runnable::run));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (server.clients.size() >= server.config.maxclients()) {
            server.clients.rejectedConnections++;
            closing = true;
            ctx.writeAndFlush(ctx.alloc().buffer(MAX_CLIENTS.length).writeBytes(MAX_CLIENTS))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        session = new Session(server.clients.nextId(), address(ctx.channel().remoteAddress()),
                address(ctx.channel().localAddress()), System.currentTimeMillis(), this::closeNow);
        decoder = new RespDecoder(server.config.protoMaxBulkLen(), server.config.clientQueryBufferLimit());
        server.clients.add(session);
        events.opened(session);
    }

    private static String address(SocketAddress a) {
        if (a instanceof InetSocketAddress) {
            InetSocketAddress i = (InetSocketAddress) a;
            String host = i.getAddress() != null ? i.getAddress().getHostAddress() : i.getHostString();
            return host + ":" + i.getPort();
        }
        return String.valueOf(a);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (closing || session == null) {
            in.release();
            return;
        }
        session.lastInteractionMillis = System.currentTimeMillis(); // per read, as Redis's readQueryFromClient
        server.stats.totalNetInputBytes += in.readableBytes();
        server.stats.totalReadsProcessed++;
        ByteBuf buf = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        cumulation = null;
        if (out == null) {
            out = ctx.alloc().ioBuffer(256);
            session.reply().target(out);
        }
        decoder.limits(server.config.protoMaxBulkLen(), server.config.clientQueryBufferLimit());
        boolean go;
        try {
            go = decoder.decode(buf, this);
            runBatch();
        } finally {
            batch.clear(); // shared with the other connections: never leave commands behind
        }
        if (!go && decoder.error() != null && !closing) {
            protocolError(decoder.error());
        }
        if (buf.isReadable() && !closing) {
            cumulation = buf;
            session.queryBufferBytes = buf.readableBytes() + decoder.pendingBytes();
        } else {
            buf.release();
            session.queryBufferBytes = decoder.pendingBytes();
        }
    }

    /** Decoder callback: keeps the command in the read batch; a full batch is run at once. */
    @Override
    public boolean onCommand(CommandArgs args) {
        batch.take(decoder);
        if (batch.full()) {
            runBatch();
        }
        return !closing;
    }

    /**
     * Runs the batched commands in order (after warming the caches for their keys) and empties the
     * batch. Stops at a command after which the connection closes (QUIT, CLIENT KILL of itself):
     * the commands after it are dropped unexecuted, as Redis drops the rest of the query buffer.
     */
    private void runBatch() {
        int n = batch.size;
        try {
            if (n > 1 && session != null) {
                dispatcher.prefetch(session, batch.cmds, n);
            }
            for (int i = 0; i < n && !closing && session != null; i++) {
                dispatcher.dispatch(session, batch.cmds[i], i > 0);
                if (session != null && session.closeAfterReply) {
                    closing = true;
                }
            }
        } finally {
            batch.clear();
        }
    }

    private void protocolError(String error) {
        closing = true;
        if (error.equals(RespDecoder.QUERY_BUFFER_LIMIT)) {
            events.closed(session); // logged by the events sink
            return;
        }
        session.reply().error("ERR " + error);
        server.stats.countError("ERR");
    }

    /** The replies of this read cycle are written at the end of the loop's pass ({@link PendingFlushes}). */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushes.add(this);
    }

    /**
     * End of a read cycle, from {@link PendingFlushes} on the event loop: writes the replies, then
     * closes the connection if a command asked for it, or stops reading while the socket's send
     * buffer is full (reading resumes in {@link #channelWritabilityChanged}).
     */
    void completeReadCycle() {
        flush();
        if (closing) {
            ctx.close();
        } else if (!ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(false);
        }
    }

    private void flush() {
        if (out == null) {
            return;
        }
        ByteBuf batch = out;
        out = null;
        if (session != null) {
            session.reply().target(null);
        }
        if (batch.isReadable()) {
            server.stats.totalNetOutputBytes += batch.readableBytes();
            server.stats.totalWritesProcessed++;
            ctx.writeAndFlush(batch, ctx.voidPromise());
        } else {
            batch.release();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && !closing) {
            ctx.channel().config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** CLIENT KILL from another connection: flush what is pending, then close. */
    private void closeNow() {
        closing = true;
        if (ctx.executor().inEventLoop()) {
            flush();
            ctx.close();
        } else {
            ctx.executor().execute(() -> {
                flush();
                ctx.close();
            });
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        if (out != null) {
            out.release();
            out = null;
        }
        if (session != null) {
            server.clients.remove(session);
            events.closed(session);
            session = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Connection resets and similar I/O errors end the connection quietly, as in Redis.
        // Anything else is a bug (or an exhausted resource) outside a command, which the
        // dispatcher would have answered with an error: it still ends only this connection, but
        // it is logged, so a dropped connection is never a mystery.
        if (!(cause instanceof java.io.IOException)) {
            dispatcher.reportInternalError("Closing a client connection after an unexpected error: " + cause);
        }
        ctx.close();
    }
}
