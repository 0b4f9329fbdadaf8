package io.cowkv.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A client with a fixed number of connections ({@link ClientOptions#connections()}) to one server,
 * sharing one event-loop group.
 *
 * <p>{@link #send} spreads commands over the connections round-robin, so two commands sent one
 * after the other may run on different connections: commands whose order matters, or that
 * pipeline, should go to one connection through {@link #connection(int)}.
 *
 * <p><b>Reconnect policy.</b> Connections are opened lazily (or all at once with
 * {@link #connect()}). When a connection breaks, the commands in flight on it fail with
 * {@link RedisConnectionException} and are <em>not</em> retried (they may have run). The next
 * command routed to that slot opens a new connection (with the same handshake); if that fails,
 * the command fails with {@link RedisConnectionException} and the slot is tried again on the
 * following command. There is no backoff and no background reconnection.
 *
 * <p>Thread-safe; never blocks, except {@link #close()} which waits briefly for the event loops it
 * owns to stop (and does not wait when called on one of them).
 */
public final class RedisClient implements AutoCloseable {
    private final ClientOptions options;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final AtomicReferenceArray<CompletableFuture<RedisConnection>> slots;
    private final AtomicInteger next = new AtomicInteger();
    private volatile boolean closed;

    private RedisClient(ClientOptions options, EventLoopGroup group, boolean ownsGroup) {
        this.options = options;
        this.group = group;
        this.ownsGroup = ownsGroup;
        this.slots = new AtomicReferenceArray<>(options.connections());
    }

    /** A client with its own daemon event-loop threads. Nothing is connected yet. */
    public static RedisClient create(ClientOptions options) {
        int threads = options.ioThreads() > 0 ? options.ioThreads()
                : Math.max(1, Math.min(options.connections(), Runtime.getRuntime().availableProcessors()));
        EventLoopGroup g = new MultiThreadIoEventLoopGroup(threads,
                new DefaultThreadFactory("cowkv-client", true), NioIoHandler.newFactory());
        return new RedisClient(options, g, true);
    }

    /** A client on an event-loop group owned (and shut down) by the caller. */
    public static RedisClient create(ClientOptions options, EventLoopGroup group) {
        return new RedisClient(options, group, false);
    }

    public ClientOptions options() {
        return options;
    }

    /** Number of connection slots. */
    public int size() {
        return slots.length();
    }

    /** Opens every connection; fails with the first {@link RedisConnectionException}. */
    public CompletableFuture<RedisClient> connect() {
        List<CompletableFuture<RedisConnection>> all = new ArrayList<>();
        for (int i = 0; i < slots.length(); i++) all.add(connection(i));
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .handle((v, err) -> {
                    if (err != null) throw new java.util.concurrent.CompletionException(RedisConnection.unwrap(err));
                    return this;
                });
    }

    /**
     * The connection in slot {@code i}, opening a new one when the slot is empty, its connection
     * is closed or its last connect failed.
     */
    public CompletableFuture<RedisConnection> connection(int i) {
        while (true) {
            if (closed) {
                return CompletableFuture.failedFuture(new RedisConnectionException("client is closed"));
            }
            CompletableFuture<RedisConnection> cur = slots.get(i);
            if (cur != null && usable(cur)) return cur;
            CompletableFuture<RedisConnection> fresh = new CompletableFuture<>();
            if (slots.compareAndSet(i, cur, fresh)) {
                RedisConnection.connect(options, group).whenComplete((c, err) -> {
                    if (err != null) {
                        fresh.completeExceptionally(RedisConnection.unwrap(err));
                    } else if (closed) {
                        c.close();
                        fresh.completeExceptionally(new RedisConnectionException("client is closed"));
                    } else {
                        fresh.complete(c);
                    }
                });
                return fresh;
            }
        }
    }

    private static boolean usable(CompletableFuture<RedisConnection> f) {
        if (!f.isDone()) return true;
        if (f.isCompletedExceptionally()) return false;
        return f.join().isOpen();
    }

    /** Sends on the next connection, round-robin. See {@link RedisConnection#send(String...)}. */
    public CompletableFuture<Reply> send(String... args) {
        return route(c -> c.send(args));
    }

    /** Sends on the next connection, round-robin. See {@link RedisConnection#send(byte[]...)}. */
    public CompletableFuture<Reply> send(byte[]... args) {
        return route(c -> c.send(args));
    }

    private CompletableFuture<Reply> route(java.util.function.Function<RedisConnection, CompletableFuture<Reply>> op) {
        int i = Math.floorMod(next.getAndIncrement(), slots.length());
        CompletableFuture<RedisConnection> cf = connection(i);
        if (cf.isDone() && !cf.isCompletedExceptionally()) return op.apply(cf.join());
        CompletableFuture<Reply> result = new CompletableFuture<>();
        cf.whenComplete((c, err) -> {
            if (err != null) {
                result.completeExceptionally(RedisConnection.unwrap(err));
            } else {
                op.apply(c).whenComplete((r, e) -> {
                    if (e != null) result.completeExceptionally(RedisConnection.unwrap(e));
                    else result.complete(r);
                });
            }
        });
        return result;
    }

    /** The event-loop group the connections run on. */
    public EventLoopGroup eventLoopGroup() {
        return group;
    }

    /** Closes every connection (pending commands fail) and stops owned event loops. */
    @Override
    public void close() {
        closed = true;
        for (int i = 0; i < slots.length(); i++) {
            CompletableFuture<RedisConnection> f = slots.get(i);
            if (f != null) f.thenAccept(RedisConnection::close);
        }
        if (ownsGroup) {
            var done = group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            boolean onLoop = false;
            for (var ex : group) onLoop |= ex.inEventLoop();
            if (!onLoop) done.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }
}
