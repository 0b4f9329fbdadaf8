package io.cowkv.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of a {@link RedisClient} or {@link RedisConnection}. Build with
 * {@link #builder()}; defaults: {@code 127.0.0.1:6379}, 1 connection, RESP2, connect timeout
 * 5 s, command timeout 30 s.
 */
public final class ClientOptions {
    private final String host;
    private final int port;
    private final int connections;
    private final Duration connectTimeout;
    private final Duration commandTimeout;
    private final int protocol;
    private final String username;
    private final String password;
    private final int ioThreads;
    private final int maxBulkBytes;

    private ClientOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.connections = b.connections;
        this.connectTimeout = b.connectTimeout;
        this.commandTimeout = b.commandTimeout;
        this.protocol = b.protocol;
        this.username = b.username;
        this.password = b.password;
        this.ioThreads = b.ioThreads;
        this.maxBulkBytes = b.maxBulkBytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String host() { return host; }
    public int port() { return port; }
    /** Number of connections a {@link RedisClient} keeps. */
    public int connections() { return connections; }
    public Duration connectTimeout() { return connectTimeout; }
    /** Time allowed for a reply; {@link Duration#ZERO} means no timeout. */
    public Duration commandTimeout() { return commandTimeout; }
    /** 2 (RESP2, the default) or 3 (RESP3, negotiated with {@code HELLO 3} on connect). */
    public int protocol() { return protocol; }
    public String username() { return username; }
    public String password() { return password; }
    /** Event-loop threads of a client-owned group; 0 = min(connections, available processors). */
    public int ioThreads() { return ioThreads; }
    public int maxBulkBytes() { return maxBulkBytes; }

    /** {@code host:port}, as used in exception messages. */
    public String address() {
        return host + ":" + port;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.connections = connections;
        b.connectTimeout = connectTimeout;
        b.commandTimeout = commandTimeout;
        b.protocol = protocol;
        b.username = username;
        b.password = password;
        b.ioThreads = ioThreads;
        b.maxBulkBytes = maxBulkBytes;
        return b;
    }

    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 6379;
        private int connections = 1;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration commandTimeout = Duration.ofSeconds(30);
        private int protocol = 2;
        private String username;
        private String password;
        private int ioThreads;
        private int maxBulkBytes = 512 * 1024 * 1024;

        private Builder() {}

        public Builder host(String host) { this.host = Objects.requireNonNull(host); return this; }

        public Builder port(int port) {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
            this.port = port;
            return this;
        }

        public Builder connections(int n) {
            if (n < 1) throw new IllegalArgumentException("connections must be >= 1");
            this.connections = n;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("connect timeout must be > 0");
            this.connectTimeout = d;
            return this;
        }

        public Builder commandTimeout(Duration d) {
            if (d.isNegative()) throw new IllegalArgumentException("command timeout must be >= 0");
            this.commandTimeout = d;
            return this;
        }

        public Builder protocol(int protocol) {
            if (protocol != 2 && protocol != 3) throw new IllegalArgumentException("protocol must be 2 or 3");
            this.protocol = protocol;
            return this;
        }

        /** Credentials sent with {@code HELLO 3 AUTH} or {@code AUTH} on every (re)connect. */
        public Builder auth(String username, String password) {
            this.username = username;
            this.password = password;
            return this;
        }

        public Builder ioThreads(int n) {
            if (n < 0) throw new IllegalArgumentException("ioThreads must be >= 0");
            this.ioThreads = n;
            return this;
        }

        public Builder maxBulkBytes(int n) { this.maxBulkBytes = n; return this; }

        public ClientOptions build() {
            return new ClientOptions(this);
        }
    }
}
