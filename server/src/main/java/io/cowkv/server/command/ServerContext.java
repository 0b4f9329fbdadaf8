package io.cowkv.server.command;

import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.keyspace.Keyspace;
import io.cowkv.server.metrics.LatencyMonitor;
import io.cowkv.server.metrics.ServerStats;
import io.cowkv.server.metrics.SlowLog;

/**
 * The services command handlers use: keyspace, configuration, clients, statistics and the
 * server's lifecycle. Built once by bootstrap. Keyspace thread only, except where noted.
 */
public final class ServerContext {
    /** What the server does on SHUTDOWN; implemented by bootstrap. */
    public interface Lifecycle {
        /**
         * Stops the server. {@code save}: null = save if save points exist, true = SAVE, false = NOSAVE.
         * Returns an error text when the shutdown is refused (e.g. the save failed), else null.
         */
        String shutdown(Boolean save);
    }

    public final Keyspace keyspace;
    public final ServerConfig config;
    public final ClientRegistry clients = new ClientRegistry();
    public final ServerStats stats = new ServerStats();
    /** The latency monitor (LATENCY LATEST/HISTORY/GRAPH/DOCTOR); its threshold follows the config. */
    public final LatencyMonitor latency = new LatencyMonitor(System::currentTimeMillis);
    /** SLOWLOG; its threshold and length follow the config. */
    public final SlowLog slowlog = new SlowLog(System::currentTimeMillis);
    public final CommandRegistry commands;
    public final String runId;
    public final long startMillis;
    public final String version;
    /** INFO's multiplexing_api: the network transport in use (io_uring, epoll or nio); set by bootstrap. */
    public String multiplexingApi = "nio";
    private Lifecycle lifecycle = save -> "ERR shutdown not available";
    private InfoSource info;

    public ServerContext(Keyspace keyspace, ServerConfig config, CommandRegistry commands, String version) {
        this.keyspace = keyspace;
        this.config = config;
        this.commands = commands;
        this.version = version;
        this.startMillis = System.currentTimeMillis();
        latency.threshold(config.latencyMonitorThreshold());
        config.onChange("latency-monitor-threshold", () -> latency.threshold(config.latencyMonitorThreshold()));
        slowlog.slowerThan(config.slowlogLogSlowerThan());
        slowlog.maxLen(config.slowlogMaxLen());
        config.onChange("slowlog-log-slower-than", () -> slowlog.slowerThan(config.slowlogLogSlowerThan()));
        config.onChange("slowlog-max-len", () -> slowlog.maxLen(config.slowlogMaxLen()));
        Runnable sharing = () -> keyspace.shareIntegers(config.maxmemory() == 0
                || !(config.maxmemoryPolicy().endsWith("-lru") || config.maxmemoryPolicy().endsWith("-lfu")));
        sharing.run();
        config.onChange("maxmemory", sharing);
        config.onChange("maxmemory-policy", sharing);
        byte[] rnd = new byte[20];
        new java.security.SecureRandom().nextBytes(rnd);
        StringBuilder sb = new StringBuilder();
        for (byte b : rnd) {
            sb.append(String.format("%02x", b & 0xff));
        }
        this.runId = sb.toString();
    }

    /**
     * Whether {@code s} may run protected commands (DEBUG) under enable-debug-command: "yes",
     * or "local" and the client connected over loopback (Redis's islocalClient).
     */
    public boolean protectedCommandsAllowed(Session s) {
        switch (config.enableDebugCommand()) {
            case "yes":
                return true;
            case "local":
                String host = s.addr.substring(0, Math.max(0, s.addr.lastIndexOf(':')));
                return host.startsWith("127.") || host.equals("::1") || host.equals("[::1]")
                        || host.equals("0:0:0:0:0:0:0:1");
            default:
                return false;
        }
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    public void lifecycle(Lifecycle l) {
        this.lifecycle = l;
    }

    /** Produces INFO text for a list of section names (lower case; "default", "all", "everything"). */
    public interface InfoSource {
        String info(java.util.List<String> sections);

        /**
         * The same text, possibly in a buffer the source reuses: valid until the next call, for a
         * reply written at once (INFO, keyspace thread). The default copies nothing less than
         * {@link #info}.
         */
        default CharSequence infoText(java.util.List<String> sections) {
            return info(sections);
        }
    }

    public InfoSource info() {
        return info;
    }

    public void info(InfoSource source) {
        this.info = source;
    }
}
