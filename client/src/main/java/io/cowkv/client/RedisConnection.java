package io.cowkv.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One RESP connection. Thread-safe: {@link #send} may be called from any thread, including from
 * a callback running on the connection's event loop; it never blocks.
 *
 * <p><b>Pipelining.</b> Commands are queued and written by the event loop in the order of the
 * {@code send} calls; everything queued since the last write goes out in one buffer and one
 * flush. Replies complete the futures in the same order. There is no limit on commands in
 * flight: callers bound their own pipeline depth.
 *
 * <p><b>Completion.</b> Futures are completed on the connection's event-loop thread: callbacks
 * attached with {@code thenApply}/{@code whenComplete} run there and must not block (use the
 * {@code ...Async} variants for slow work). Never call {@code join()}/{@code get()} on an event
 * loop thread.
 *
 * <p><b>Failures.</b> A top-level error reply fails the future with {@link RedisServerException};
 * no reply within the command timeout fails it with {@link RedisTimeoutException} (the connection
 * stays usable); when the connection breaks, every queued and in-flight command fails with
 * {@link RedisConnectionException}, and so does every later {@code send}. A connection never
 * reconnects by itself; {@link RedisClient} replaces broken connections.
 *
 * <p><b>Push data</b> (RESP3 {@code >}) goes to the listener set with {@link #onPush}, on the event
 * loop, except the confirmation of a {@code (UN)SUBSCRIBE}-family command that is the oldest
 * command in flight, which completes that command.
 */
public final class RedisConnection implements AutoCloseable {
    private final Channel channel;
    private final Handler handler;
    private final String address;
    private final long timeoutNanos;
    private final ConcurrentLinkedQueue<PendingCommand> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private volatile boolean closing;
    private volatile int protocol = 2;
    private volatile Consumer<PushReply> pushListener = p -> {};

    private RedisConnection(Channel channel, Handler handler, ClientOptions options) {
        this.channel = channel;
        this.handler = handler;
        this.address = options.address();
        this.timeoutNanos = options.commandTimeout().toNanos();
        handler.connection = this;
    }

    /**
     * Opens a connection on {@code group} and performs the handshake ({@code HELLO 3} when RESP3 is
     * asked for, {@code AUTH} when credentials are set). The future fails with
     * {@link RedisConnectionException} when the server cannot be reached within the connect
     * timeout or the handshake fails.
     */
    public static CompletableFuture<RedisConnection> connect(ClientOptions options, EventLoopGroup group) {
        CompletableFuture<RedisConnection> result = new CompletableFuture<>();
        Handler handler = new Handler(options.address(), options.commandTimeout().toNanos());
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new RespDecoder(new RespParser(options.maxBulkBytes(), 64)), handler);
                    }
                });
        b.connect(options.host(), options.port()).addListener((ChannelFutureListener) cf -> {
            if (!cf.isSuccess()) {
                Throwable c = cf.cause();
                result.completeExceptionally(new RedisConnectionException(
                        "cannot connect to " + options.address() + ": " + (c == null ? "cancelled" : c.getMessage()), c));
                return;
            }
            RedisConnection conn = new RedisConnection(cf.channel(), handler, options);
            handshake(conn, options).whenComplete((ok, err) -> {
                if (err == null) {
                    result.complete(conn);
                } else {
                    conn.close();
                    Throwable cause = unwrap(err);
                    result.completeExceptionally(cause instanceof RedisConnectionException ? cause
                            : new RedisConnectionException("handshake with " + options.address() + " failed: " + cause.getMessage(), cause));
                }
            });
        });
        return result;
    }

    private static CompletableFuture<Void> handshake(RedisConnection conn, ClientOptions o) {
        if (o.protocol() == 3) {
            List<String> hello = new ArrayList<>(List.of("HELLO", "3"));
            if (o.password() != null) {
                hello.add("AUTH");
                hello.add(o.username() == null ? "default" : o.username());
                hello.add(o.password());
            }
            return conn.send(hello.toArray(String[]::new)).thenAccept(r -> conn.protocol = 3);
        }
        if (o.password() != null) {
            return (o.username() == null ? conn.send("AUTH", o.password()) : conn.send("AUTH", o.username(), o.password()))
                    .thenAccept(r -> {});
        }
        return CompletableFuture.completedFuture(null);
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Sends a command given as UTF-8 strings, e.g. {@code send("SET", "k", "v")}. */
    public CompletableFuture<Reply> send(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        return send(bytes);
    }

    /**
     * Sends a command given as binary-safe arguments. The arrays are read when the command is
     * written, later, on the event loop: do not modify them after the call.
     */
    public CompletableFuture<Reply> send(byte[]... args) {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        if (args.length == 0) {
            f.completeExceptionally(new IllegalArgumentException("empty command"));
            return f;
        }
        if (closing || !channel.isActive()) {
            f.completeExceptionally(handler.closedException());
            return f;
        }
        queue.add(new PendingCommand(args, f, timeoutNanos == 0 ? 0 : System.nanoTime() + timeoutNanos));
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(drainTask);
            } catch (RejectedExecutionException e) {
                failQueued(new RedisConnectionException("connection to " + address + " is closed (event loop shut down)", e));
            }
        }
        return f;
    }

    /** Runs on the event loop: writes everything queued in one buffer and flushes once. */
    private void drain() {
        drainScheduled.set(false);
        if (closing || !channel.isActive()) {
            failQueued(handler.closedException());
            return;
        }
        ByteBuf out = null;
        PendingCommand p;
        while ((p = queue.poll()) != null) {
            if (out == null) out = channel.alloc().ioBuffer(Math.max(256, RespEncoder.encodedSize(p.args)));
            RespEncoder.encode(out, p.args);
            handler.inflight.add(p);
            if (out.readableBytes() >= 256 * 1024) {
                channel.write(out).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
                out = null;
            }
        }
        if (out != null) channel.write(out).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        channel.flush();
    }

    private void failQueued(RedisException e) {
        PendingCommand p;
        while ((p = queue.poll()) != null) p.future.completeExceptionally(e);
    }

    /** Sets the receiver of RESP3 push data (called on the event loop; must not block). */
    public void onPush(Consumer<PushReply> listener) {
        this.pushListener = listener == null ? p -> {} : listener;
    }

    /** True until the connection is closed by either side. */
    public boolean isOpen() {
        return !closing && channel.isActive();
    }

    /** 2 or 3: the protocol negotiated on connect. */
    public int protocol() {
        return protocol;
    }

    /** {@code host:port} of the server. */
    public String address() {
        return address;
    }

    /** Completes when the connection has closed, for whatever reason. */
    public CompletableFuture<Void> closeFuture() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        channel.closeFuture().addListener(x -> f.complete(null));
        return f;
    }

    /**
     * Closes the connection without waiting; commands not yet answered fail with
     * {@link RedisConnectionException}.
     */
    @Override
    public void close() {
        closing = true;
        channel.close();
    }

    /** The Netty channel, for tests and tools that need its event loop. */
    public Channel channel() {
        return channel;
    }

    /** Inbound end of the pipeline: matches replies to commands. Used only on the event loop. */
    static final class Handler extends ChannelInboundHandlerAdapter {
        final ArrayDeque<PendingCommand> inflight = new ArrayDeque<>();
        private final String address;
        private final long timeoutNanos;
        volatile RedisConnection connection;
        private volatile Throwable failure;
        private ScheduledFuture<?> sweeper;

        Handler(String address, long timeoutNanos) {
            this.address = address;
            this.timeoutNanos = timeoutNanos;
        }

        RedisConnectionException closedException() {
            Throwable f = failure;
            return new RedisConnectionException("connection to " + address + " closed"
                    + (f == null ? "" : ": " + (f.getMessage() == null ? f.toString() : f.getMessage())), f);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (timeoutNanos > 0) {
                long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(timeoutNanos / 10, TimeUnit.MILLISECONDS.toNanos(100)));
                sweeper = ctx.executor().scheduleAtFixedRate(this::sweep, tick, tick, TimeUnit.NANOSECONDS);
            }
            super.channelActive(ctx);
        }

        private void sweep() {
            long now = System.nanoTime();
            for (PendingCommand p : inflight) {
                if (p.deadlineNanos - now > 0) break;
                if (!p.future.isDone()) {
                    p.future.completeExceptionally(new RedisTimeoutException(
                            "no reply from " + address + " to " + p.name() + " within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
                }
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            Reply r = (Reply) msg;
            if (r instanceof PushReply push) {
                PendingCommand head = inflight.peek();
                if (head != null && head.subscribeLike && push.size() > 0
                        && push.get(0).asString().toLowerCase(Locale.ROOT).equals(head.name().toLowerCase(Locale.ROOT))) {
                    inflight.poll();
                    head.future.complete(push);
                    return;
                }
                RedisConnection c = connection;
                if (c != null) {
                    try {
                        c.pushListener.accept(push);
                    } catch (RuntimeException e) {
                        // a listener's failure must not break the connection
                    }
                }
                return;
            }
            PendingCommand p = inflight.poll();
            if (p == null) {
                throw new RedisProtocolException("reply without a command: " + r);
            }
            if (r instanceof ErrorReply e) {
                p.future.completeExceptionally(new RedisServerException(e.message()));
            } else {
                p.future.complete(r);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof DecoderException && cause.getCause() != null) cause = cause.getCause();
            if (failure == null) failure = cause;
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (sweeper != null) sweeper.cancel(false);
            RedisConnectionException e = closedException();
            PendingCommand p;
            while ((p = inflight.poll()) != null) p.future.completeExceptionally(e);
            RedisConnection c = connection;
            if (c != null) c.failQueued(e);
            super.channelInactive(ctx);
        }
    }
}
