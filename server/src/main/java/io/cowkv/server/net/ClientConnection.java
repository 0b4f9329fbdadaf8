package io.cowkv.server.net;

import io.cowkv.server.command.Dispatcher;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.LargeBulk;
import io.cowkv.server.protocol.Reply;
import io.cowkv.server.protocol.RespDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * One client connection: decodes requests straight from the receive buffers, runs each complete
 * command in order, writes all replies of a read batch into one buffer and flushes once per batch.
 *
 * <p>Contract: runs on the single event loop that also owns the keyspace, so every command is
 * atomic. Owns {@code cumulation} (bytes of an incomplete request line), the batch's reply buffer
 * (the session's {@link Reply} target) and the {@link #backlog}, and releases all of them when the
 * connection ends. Like Redis, it goes on reading and answering while replies wait to be sent: a
 * client that pipelines big requests and big replies before reading anything would otherwise wait
 * for the server while the server waited for it. (Until session 20 reading paused while the socket
 * was not writable, which deadlocked such pipelines.) What a client that never reads can pile up is
 * unbounded, as in Redis with its default {@code client-output-buffer-limit normal 0 0 0}; with a
 * limit set, a client over it is closed as Redis closes it ({@link #overOutputLimit}).
 *
 * <p>Large bulk replies ({@link LargeBulk}) are sent a chunk at a time as the socket drains
 * ({@link #pump}); the replies after one wait in the backlog behind it, in order.
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
    /** Output waiting behind a large bulk still being sent: buffers and large bulks, in order; null until needed. */
    private ArrayDeque<Object> backlog;
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
        session.reply().largeBulks(ctx.alloc());
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
        if (session.reply().target() == null) {
            session.reply().target(ctx.alloc().ioBuffer(256));
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
        afterOutput();
    }

    /** After output was written: closes if asked to, once the backlog is out. */
    private void afterOutput() {
        if (closing && (backlog == null || backlog.isEmpty())) {
            closeAfterWrites();
        }
    }

    /**
     * Closes the connection once everything written before is on the wire (QUIT's reply, the
     * protocol error): {@code close()} alone would drop what the socket has not taken yet.
     */
    private void closeAfterWrites() {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void flush() {
        if (session == null || session.reply().target() == null) {
            return;
        }
        Reply reply = session.reply();
        ByteBuf batch = reply.target();
        reply.target(null);
        if (reply.hasParts() || (backlog != null && !backlog.isEmpty())) {
            if (backlog == null) {
                backlog = new ArrayDeque<>();
            }
            server.stats.totalWritesProcessed++;
            reply.drainParts(backlog);
            backlog.add(batch);
            pump();
        } else if (batch.isReadable()) {
            server.stats.totalNetOutputBytes += batch.readableBytes();
            server.stats.totalWritesProcessed++;
            ctx.writeAndFlush(batch, ctx.voidPromise());
        } else {
            batch.release();
        }
        if (!closing && overOutputLimit()) {
            closeOverOutputLimit();
        }
    }

    /** When the output first reached the soft limit (ms), 0 while under it (Redis's obuf_soft_limit_reached_time). */
    private long softLimitSince;

    /**
     * Redis's checkClientOutputBufferLimits for the normal class: whether the output the socket has
     * not taken yet reaches the hard limit, or has reached the soft limit for longer than its
     * seconds. A limit of 0 is none.
     */
    private boolean overOutputLimit() {
        long[] limit = server.config.clientOutputBufferLimitNormal();
        if (limit[0] == 0 && limit[1] == 0) {
            return false;
        }
        long used = pendingOutputBytes();
        boolean hard = limit[0] != 0 && Long.compareUnsigned(used, limit[0]) >= 0;
        boolean soft = limit[1] != 0 && Long.compareUnsigned(used, limit[1]) >= 0;
        if (soft) {
            long now = System.currentTimeMillis();
            if (softLimitSince == 0) {
                softLimitSince = now;
                soft = false;
            } else if ((now - softLimitSince) / 1000 <= limit[2]) {
                soft = false;
            }
        } else {
            softLimitSince = 0;
        }
        return hard || soft;
    }

    /** Output not yet taken by the socket: Netty's outbound buffer plus the backlog. */
    private long pendingOutputBytes() {
        io.netty.channel.ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        return (out == null ? 0 : out.totalPendingWriteBytes()) + backlogBytes();
    }

    /** Closes at once, dropping the waiting output, as Redis frees such a client (asynchronously, ASAP). */
    private void closeOverOutputLimit() {
        dispatcher.reportWarning("Client id=" + session.id + " addr=" + session.addr + " laddr=" + session.laddr
                + " name=" + session.name + " scheduled to be closed ASAP for overcoming of output buffer limits.");
        closing = true;
        ctx.close();
    }

    /**
     * Writes the backlog in order while the socket takes it: a buffer whole, a large bulk one
     * {@link LargeBulk#CHUNK} at a time (freed after its last chunk). Resumed by
     * {@link #channelWritabilityChanged} when the socket has drained. A flush can report the
     * socket writable again from inside this method; that call only asks for another round here
     * instead of recursing.
     */
    private void pump() {
        if (pumping) {
            pumpAgain = true;
            return;
        }
        pumping = true;
        try {
            do {
                pumpAgain = false;
                boolean wrote = false;
                while (!backlog.isEmpty() && ctx.channel().isWritable()) {
                    ByteBuf piece = nextPiece();
                    if (piece != null) {
                        server.stats.totalNetOutputBytes += piece.readableBytes();
                        ctx.write(piece, ctx.voidPromise());
                        wrote = true;
                    }
                }
                if (wrote) {
                    ctx.flush();
                }
            } while (pumpAgain && !backlog.isEmpty());
        } finally {
            pumping = false;
        }
        if (session != null) {
            session.outputBufferBytes = backlogBytes();
            if (!closing && overOutputLimit()) {
                closeOverOutputLimit();
            }
        }
    }

    private boolean pumping;
    private boolean pumpAgain;

    /** Takes the next piece of output off the backlog (null for an empty buffer, released here). */
    private ByteBuf nextPiece() {
        Object head = backlog.peekFirst();
        if (head instanceof ByteBuf) {
            backlog.pollFirst();
            ByteBuf b = (ByteBuf) head;
            if (b.isReadable()) {
                return b;
            }
            b.release();
            return null;
        }
        LargeBulk large = (LargeBulk) head;
        ByteBuf chunk = ctx.alloc().ioBuffer(Math.min(large.unsent(), LargeBulk.CHUNK));
        large.sendTo(chunk, LargeBulk.CHUNK);
        if (large.unsent() == 0) {
            backlog.pollFirst();
            large.free();
        }
        return chunk;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && session != null && backlog != null && !backlog.isEmpty()) {
            pump();
            afterOutput();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** Bytes of output waiting in the backlog (CLIENT LIST omem). */
    private long backlogBytes() {
        long n = 0;
        if (backlog != null) {
            for (Object o : backlog) {
                n += o instanceof LargeBulk ? ((LargeBulk) o).unsent() : ((ByteBuf) o).readableBytes();
            }
        }
        return n;
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
        if (backlog != null) {
            for (Object o : backlog) {
                if (o instanceof LargeBulk) {
                    ((LargeBulk) o).free();
                } else {
                    ((ByteBuf) o).release();
                }
            }
            backlog.clear();
        }
        if (session != null) {
            session.reply().discard();
        }
        if (decoder != null) {
            decoder.release(); // a big argument half received holds native memory
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
