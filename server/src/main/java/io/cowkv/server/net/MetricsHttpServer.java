package io.cowkv.server.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus scrape endpoint: {@code GET /metrics} (and HEAD) answers 200 with what the
 * {@link Source} renders, any other path 404, other methods on /metrics 405.
 *
 * <p>Threads: runs on its own one-thread event loop ({@code cowkv-metrics}, a daemon), never on
 * the keyspace thread, so a scrape cannot delay a command. The {@link Source} is called on that
 * thread and must not touch the keyspace (CowKV's reads published counters and samples only).
 */
public final class MetricsHttpServer {
    /** Path served. */
    public static final String PATH = "/metrics";
    private static final int MAX_REQUEST_BYTES = 16 * 1024;
    private static final int IDLE_SECONDS = 60;

    /** Renders the metrics for a request's Accept header (may be null); called on the metrics thread. */
    @FunctionalInterface
    public interface Source {
        Scrape scrape(String accept) throws Exception;
    }

    /** A rendered scrape: its content type and body. */
    public record Scrape(String contentType, byte[] body) {
    }

    private final String host;
    private final int port;
    private final Source source;
    private EventLoopGroup loop;
    private Channel listener;

    /** {@code port} 0 picks a free port (see {@link #boundPort()}). */
    public MetricsHttpServer(String host, int port, Source source) {
        this.host = host;
        this.port = port;
        this.source = source;
    }

    /** Binds; throws with the address when it cannot be bound (and leaves nothing running). */
    public void start() throws InterruptedException {
        loop = new MultiThreadIoEventLoopGroup(1, r -> {
            Thread t = new FastThreadLocalThread(r, "cowkv-metrics"); // Netty pools only on these (see RespServer)
            t.setDaemon(true);
            return t;
        }, NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap()
                .group(loop)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ReadTimeoutHandler(IDLE_SECONDS))
                                .addLast(new HttpServerCodec())
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(new Handler());
                    }
                });
        try {
            listener = b.bind(new InetSocketAddress(host, port)).sync().channel();
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("Could not create metrics HTTP listening socket " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    /** The port actually bound. */
    public int boundPort() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** {@code host:port} as bound, for the log line. */
    public String address() {
        return host + ":" + boundPort();
    }

    /** Closes the listener and the connections and ends the loop; bounded wait, idempotent. */
    public void stop() {
        if (listener != null) {
            listener.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            listener = null;
        }
        if (loop != null) {
            loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            loop = null;
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            if (!req.decoderResult().isSuccess()) {
                respond(ctx, req, text(HttpResponseStatus.BAD_REQUEST, "Bad Request\n"), false);
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            String path = new QueryStringDecoder(req.uri()).path();
            if (!PATH.equals(path)) {
                respond(ctx, req, text(HttpResponseStatus.NOT_FOUND, "Not Found\n"), keepAlive);
                return;
            }
            HttpMethod m = req.method();
            if (!HttpMethod.GET.equals(m) && !HttpMethod.HEAD.equals(m)) {
                FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "Method Not Allowed\n");
                r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
                respond(ctx, req, r, keepAlive);
                return;
            }
            Scrape s;
            try {
                s = source.scrape(req.headers().get(HttpHeaderNames.ACCEPT));
            } catch (Exception e) {
                respond(ctx, req, text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Scrape failed: " + e + "\n"), false);
                return;
            }
            ByteBuf body = HttpMethod.HEAD.equals(m) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(s.body());
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, s.contentType());
            HttpUtil.setContentLength(r, s.body().length);
            respond(ctx, req, r, keepAlive);
        }

        private FullHttpResponse text(HttpResponseStatus status, String msg) {
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(msg, StandardCharsets.UTF_8));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            HttpUtil.setContentLength(r, r.content().readableBytes());
            return r;
        }

        private void respond(ChannelHandlerContext ctx, FullHttpRequest req, FullHttpResponse r, boolean keepAlive) {
            if (keepAlive) {
                if (req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                    r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                }
                ctx.writeAndFlush(r);
            } else {
                r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // read timeout, reset by peer, oversized request: drop the connection
        }
    }
}
