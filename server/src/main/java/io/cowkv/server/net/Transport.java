package io.cowkv.server.net;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.util.Locale;

/**
 * The Netty transport the server runs on, chosen by the {@code io-transport} parameter:
 * {@code auto} (the default) takes epoll where the native library loads, else NIO; {@code io_uring},
 * {@code epoll} or {@code nio} force one and fail start-up when it cannot run here.
 *
 * <p>io_uring is not the default although it is faster: with redis-benchmark -P 16 it gave 10-20%
 * more throughput and about 13% less server CPU per request than epoll on the same machine. But
 * Netty 4.2's io_uring transport allocates an {@code IoUringIoOps} object on the Java heap for
 * every receive and send it submits (about 165 bytes per request/reply round trip without
 * pipelining), while the epoll path allocates nothing per command; that garbage brings young GC
 * pauses back, which the save-latency goal cannot afford (docs/benchmarks.md, "io_uring").
 */
public enum Transport {
    IO_URING("io_uring") {
        @Override
        boolean available() {
            return IoUring.isAvailable();
        }

        @Override
        String unavailableBecause() {
            return String.valueOf(IoUring.unavailabilityCause());
        }

        @Override
        IoHandlerFactory ioHandlerFactory() {
            return IoUringIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannel() {
            return IoUringServerSocketChannel.class;
        }
    },
    EPOLL("epoll") {
        @Override
        boolean available() {
            return Epoll.isAvailable();
        }

        @Override
        String unavailableBecause() {
            return String.valueOf(Epoll.unavailabilityCause());
        }

        @Override
        IoHandlerFactory ioHandlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannel() {
            return EpollServerSocketChannel.class;
        }
    },
    NIO("nio") {
        @Override
        boolean available() {
            return true;
        }

        @Override
        String unavailableBecause() {
            return "";
        }

        @Override
        IoHandlerFactory ioHandlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannel() {
            return NioServerSocketChannel.class;
        }
    };

    private final String configName;

    Transport(String configName) {
        this.configName = configName;
    }

    /** The name in {@code io-transport} and in INFO's {@code multiplexing_api}. */
    public String configName() {
        return configName;
    }

    abstract boolean available();

    abstract String unavailableBecause();

    abstract IoHandlerFactory ioHandlerFactory();

    abstract Class<? extends ServerChannel> serverChannel();

    /**
     * The transport for {@code io-transport} {@code configured} ("auto", "io_uring", "epoll" or
     * "nio"). Throws {@link IllegalStateException} naming the reason when a named one cannot run here.
     */
    public static Transport select(String configured) {
        String name = configured.toLowerCase(Locale.ROOT);
        if (name.equals("auto")) {
            return EPOLL.available() ? EPOLL : NIO;
        }
        for (Transport t : values()) {
            if (t.configName.equals(name)) {
                if (!t.available()) {
                    throw new IllegalStateException("io-transport " + name + " is not available on this machine: "
                            + t.unavailableBecause());
                }
                return t;
            }
        }
        throw new IllegalArgumentException("unknown io-transport " + configured);
    }
}
