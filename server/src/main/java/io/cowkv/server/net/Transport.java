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
 * {@code auto} takes io_uring where the kernel allows it (Linux 5.x+, not blocked by a seccomp
 * profile such as Docker's default), else epoll, else NIO; naming one forces it and fails start-up
 * when it is not available here. io_uring is preferred because it needs fewer system calls per
 * read and write: measured with redis-benchmark -P 16, 10-20% more throughput and about 13% less
 * server CPU per request than epoll on the same machine (docs/benchmarks.md).
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
            for (Transport t : values()) {
                if (t.available()) {
                    return t;
                }
            }
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
