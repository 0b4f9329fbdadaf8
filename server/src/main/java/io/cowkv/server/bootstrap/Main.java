package io.cowkv.server.bootstrap;

import io.cowkv.server.config.ConfigException;
import io.cowkv.server.config.ConfigLoader;
import io.cowkv.server.config.ServerConfig;

/**
 * Entry point: {@code cowkv-server [/path/to/cowkv.conf] [--name value ...]}, as redis-server.
 * Exit status 1 when the configuration is refused or the port cannot be bound.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Netty's leak detector samples buffer allocations and records a stack trace for each
        // sampled one: garbage and CPU on the hot path. Off unless asked for with
        // -Dio.netty.leakDetection.level=... (buffer ownership is tested in ClientConnectionTest).
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            io.netty.util.ResourceLeakDetector.setLevel(io.netty.util.ResourceLeakDetector.Level.DISABLED);
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-v"))) {
            System.out.println("CowKV server v=" + io.cowkv.server.command.server.CowkvVersion.VERSION
                    + " redis-compatible=" + io.cowkv.server.command.server.CowkvVersion.REDIS_COMPATIBLE);
            return;
        }
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("Usage: cowkv-server [/path/to/cowkv.conf] [options]\n"
                    + "       cowkv-server - (read config from stdin)\n"
                    + "       cowkv-server -v or --version\n"
                    + "       cowkv-server -h or --help\n\n"
                    + "Examples:\n"
                    + "       cowkv-server (run the server with default config)\n"
                    + "       cowkv-server /etc/cowkv/7000.conf\n"
                    + "       cowkv-server --port 7777\n"
                    + "       cowkv-server /etc/mycowkv.conf --loglevel verbose --save \"\"\n");
            return;
        }
        ServerConfig config;
        try {
            config = ConfigLoader.load(args);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        CowKvServer server;
        try {
            server = new CowKvServer(config);
        } catch (IllegalStateException e) {
            // e.g. an io-transport that cannot run here: the reason, not a stack trace
            ServerLog.warning("Fatal error, can't start: " + e.getMessage());
            ServerLog.flush();
            System.exit(1);
            return;
        }
        try {
            server.start();
        } catch (Exception e) {
            ServerLog.warning(e.getMessage());
            server.stop(); // flushes the log
            System.exit(1);
        }
    }
}
