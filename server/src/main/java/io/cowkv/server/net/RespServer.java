package io.cowkv.server.net;

import io.cowkv.server.command.Dispatcher;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server: one event loop thread that accepts connections, runs every command and owns
 * the keyspace (Redis's model: commands are atomic without locks), on the {@link Transport}
 * chosen by {@code io-transport}.
 */
public final class RespServer {
    private final ServerContext server;
    private final Dispatcher dispatcher;
    private final EventLoopGroup loop;
    /** The read batch and the pending flushes of the one event loop ({@code loop} has exactly one thread). */
    private final ReadBatch readBatch = new ReadBatch();
    private final PendingFlushes pendingFlushes;
    private final Class<? extends ServerChannel> channelType;
    private final String transport;
    private final List<Channel> listeners = new ArrayList<>();
    private ClientConnection.ConnectionEvents events = new ClientConnection.ConnectionEvents() {
        @Override
        public void opened(Session s) {
        }

        @Override
        public void closed(Session s) {
        }
    };

    public RespServer(ServerContext server, Dispatcher dispatcher, Transport transport) {
        this.server = server;
        this.dispatcher = dispatcher;
        IoHandlerFactory factory = transport.ioHandlerFactory();
        // A FastThreadLocalThread: Netty pools its per-write objects (ChannelOutboundBuffer
        // entries) and buffer caches only on such threads; on a plain Thread every reply flushed
        // allocated a new entry on the heap (measured: the main source of young GCs under load).
        this.loop = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new FastThreadLocalThread(r, "cowkv-main");
            t.setDaemon(false);
            return t;
        }, factory);
        this.pendingFlushes = new PendingFlushes(loop.next());
        this.channelType = transport.serverChannel();
        this.transport = transport.configName();
    }

    /** The keyspace thread's executor: everything that touches the keyspace runs here. */
    public EventLoopGroup loop() {
        return loop;
    }

    public String transport() {
        return transport;
    }

    public void onConnection(Runnable opened, Runnable closed) {
        this.events = new ClientConnection.ConnectionEvents() {
            @Override
            public void opened(Session s) {
                opened.run();
            }

            @Override
            public void closed(Session s) {
                closed.run();
            }
        };
    }

    /** Binds every configured address; throws with the address when one cannot be bound. */
    public void start() throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(loop)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, server.config.tcpBacklog())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, server.config.tcpKeepalive() > 0)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(512 * 1024, 8 * 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ClientConnection(server, dispatcher, events, readBatch, pendingFlushes));
                    }
                });
        for (String host : server.config.bind()) {
            InetSocketAddress addr = host.equals("*") ? new InetSocketAddress(server.config.port())
                    : host.equals("::*") ? null : new InetSocketAddress(host, server.config.port());
            if (addr == null) {
                continue; // "* -::*": the wildcard IPv4 socket also serves IPv6 on Linux
            }
            try {
                listeners.add(b.bind(addr).sync().channel());
            } catch (Exception e) {
                throw new IllegalStateException("Could not create server TCP listening socket " + host + ":"
                        + server.config.port() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The port actually bound (useful with port 0). */
    public int boundPort() {
        return ((InetSocketAddress) listeners.get(0).localAddress()).getPort();
    }

    /** Stops accepting, closes all connections and ends the event loop. */
    public void stop() {
        for (Channel c : listeners) {
            c.close().awaitUninterruptibly();
        }
        loop.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
