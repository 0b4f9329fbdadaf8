package io.cowkv.server.bootstrap;

import io.cowkv.server.config.ConfigLoader;
import io.cowkv.server.config.ServerConfig;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Liveness probe for container images, whose only guaranteed tool is the JRE:
 * {@code java -cp cowkv-server.jar io.cowkv.server.bootstrap.HealthCheck [--host H] [--port P]}.
 * Sends {@code PING} and exits 0 on {@code +PONG} (or {@code -NOAUTH}: the server answers, it
 * only wants a password), 1 on anything else: refused, timeout, {@code -LOADING}, other errors.
 *
 * <p>Without {@code --port}, the port and address are those of the running server: the probe
 * finds the CowKV server process in {@code /proc} (same container, so same PID namespace) and
 * reads its arguments with the server's own {@link ConfigLoader}, so a port set in a mounted
 * config file or by a {@code --port} flag is found the same way the server found it. Falls
 * back to 127.0.0.1:6379 where that fails. Runs on the calling thread, uses java.base only,
 * touches nothing but one TCP connection.
 */
public final class HealthCheck {
    static final int DEFAULT_PORT = 6379;
    private static final int TIMEOUT_MS = 3000;

    private HealthCheck() {
    }

    public static void main(String[] args) {
        String host = null;
        int port = -1;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--host") && i + 1 < args.length) {
                host = args[++i];
            } else if (args[i].equals("--port") && i + 1 < args.length) {
                port = Integer.parseInt(args[++i]);
            } else {
                System.err.println("usage: HealthCheck [--host H] [--port P]");
                System.exit(2);
            }
        }
        if (host == null || port < 0) {
            String[] target = targetOf(serverArguments());
            host = host != null ? host : target[0];
            port = port >= 0 ? port : Integer.parseInt(target[1]);
        }
        String reply = ping(host, port);
        System.out.println(host + ":" + port + " " + reply);
        System.exit(healthy(reply) ? 0 : 1);
    }

    /** True for the replies of a server that is up and serving: {@code +PONG}, or {@code -NOAUTH}. */
    static boolean healthy(String reply) {
        return reply.equals("+PONG") || reply.startsWith("-NOAUTH");
    }

    /** Sends PING and returns the first reply line (without CRLF), or a description of the failure. */
    static String ping(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            s.setSoTimeout(TIMEOUT_MS);
            OutputStream out = s.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n' && line.length() < 512) {
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.length() == 0 ? "connection closed without a reply" : line.toString();
        } catch (IOException e) {
            return "unreachable: " + e;
        }
    }

    /**
     * {host, port} to probe for a server started with {@code serverArgs} (null: unknown).
     * A wildcard or absent bind probes the loopback address.
     */
    static String[] targetOf(List<String> serverArgs) {
        String host = "127.0.0.1";
        int port = DEFAULT_PORT;
        if (serverArgs != null) {
            try {
                ServerConfig config = ConfigLoader.load(serverArgs.toArray(new String[0]));
                port = config.port();
                host = probeAddress(config.bind());
            } catch (Exception e) {
                System.err.println("could not read the server's configuration, probing " + host + ":" + port + ": " + e.getMessage());
            }
        }
        return new String[] {host, Integer.toString(port)};
    }

    static String probeAddress(List<String> bind) {
        for (String a : bind) {
            if (a.equals("*") || a.equals("0.0.0.0") || a.startsWith("127.") || a.equals("localhost")) {
                return "127.0.0.1";
            }
        }
        for (String a : bind) {
            if (a.equals("::*") || a.equals("::") || a.equals("::1")) {
                return "::1";
            }
        }
        return bind.isEmpty() ? "127.0.0.1" : bind.get(0);
    }

    /** The server's own arguments (after the jar or main class) from /proc, or null when not found. */
    static List<String> serverArguments() {
        long self = ProcessHandle.current().pid();
        Path proc = Path.of("/proc");
        if (!Files.isDirectory(proc)) {
            return null;
        }
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == self) {
                    continue;
                }
                List<String> args = serverArguments(readCmdline(p.resolve("cmdline")));
                if (args != null) {
                    return args;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** Arguments following {@code -jar *cowkv-server*.jar} or the main class in a java command line; null if it is not the server. */
    static List<String> serverArguments(List<String> cmdline) {
        if (cmdline.isEmpty() || !Path.of(cmdline.get(0)).getFileName().toString().equals("java")) {
            return null;
        }
        for (int i = 1; i < cmdline.size(); i++) {
            String a = cmdline.get(i);
            boolean jar = a.equals("-jar") && i + 1 < cmdline.size() && cmdline.get(i + 1).contains("cowkv-server");
            if (jar) {
                return new ArrayList<>(cmdline.subList(i + 2, cmdline.size()));
            }
            if (a.equals(Main.class.getName())) {
                return new ArrayList<>(cmdline.subList(i + 1, cmdline.size()));
            }
        }
        return null;
    }

    private static List<String> readCmdline(Path file) {
        try {
            byte[] raw = Files.readAllBytes(file);
            String s = new String(raw, StandardCharsets.UTF_8);
            if (s.endsWith("\0")) {
                s = s.substring(0, s.length() - 1);
            }
            return s.isEmpty() ? List.of() : Arrays.asList(s.split("\0", -1));
        } catch (IOException e) {
            return List.of();
        }
    }
}
