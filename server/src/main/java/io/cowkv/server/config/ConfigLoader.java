package io.cowkv.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link ServerConfig} from redis-server style arguments:
 * {@code [/path/to/cowkv.conf] [--name value ...]...}. The file uses redis.conf syntax (one
 * directive per line, {@code #} comments, quoted arguments); flags override the file. Errors
 * name the directive and line as Redis's "FATAL CONFIG FILE ERROR" does.
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static ServerConfig load(String[] argv) throws ConfigException {
        StringBuilder text = new StringBuilder();
        int i = 0;
        if (argv.length > 0 && !argv[0].startsWith("--")) {
            Path file = Path.of(argv[0]);
            try {
                text.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new ConfigException("Fatal error, can't open config file '" + argv[0] + "': " + e.getMessage());
            }
            i = 1;
        }
        // Like Redis: "--port 7000 --save 60 100" becomes lines "port 7000" / "save 60 100".
        StringBuilder flags = new StringBuilder();
        for (; i < argv.length; i++) {
            String a = argv[i];
            if (a.startsWith("--")) {
                if (flags.length() > 0) {
                    flags.append('\n');
                }
                flags.append(a.substring(2));
            } else {
                if (flags.length() == 0) {
                    throw new ConfigException("Invalid argument '" + a + "': options must start with --");
                }
                flags.append(' ').append(quote(a));
            }
        }
        text.append(flags);
        ServerConfig config = new ServerConfig();
        apply(config, text.toString());
        config.validate();
        return config;
    }

    /** Applies redis.conf text to {@code config}. */
    public static void apply(ServerConfig config, String text) throws ConfigException {
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            List<String> words = splitArgs(line);
            if (words == null) {
                throw fatal(n + 1, line, "Unbalanced quotes in configuration line");
            }
            if (words.isEmpty()) {
                continue;
            }
            String name = words.get(0).toLowerCase(java.util.Locale.ROOT);
            if (!config.has(name)) {
                throw fatal(n + 1, line, "Bad directive or wrong number of arguments");
            }
            String value = String.join(" ", words.subList(1, words.size()));
            if (words.size() < 2 && !name.equals("save") && !name.equals("logfile") && !name.equals("pidfile")) {
                throw fatal(n + 1, line, "wrong number of arguments");
            }
            try {
                config.set(name, value, true);
            } catch (ConfigException e) {
                throw fatal(n + 1, line, e.getMessage());
            }
        }
    }

    private static ConfigException fatal(int line, String text, String reason) {
        return new ConfigException("\n*** FATAL CONFIG FILE ERROR (CowKV) ***\n"
                + "Reading the configuration file, at line " + line + "\n"
                + ">>> '" + text + "'\n" + reason);
    }

    private static String quote(String s) {
        if (!s.isEmpty() && s.chars().noneMatch(c -> c == ' ' || c == '"' || c == '\'' || c == '\\')) {
            return s;
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** sdssplitargs for config lines; null on unbalanced quotes. */
    static List<String> splitArgs(String line) {
        List<String> out = new ArrayList<>();
        int p = 0;
        int n = line.length();
        while (true) {
            while (p < n && Character.isWhitespace(line.charAt(p))) {
                p++;
            }
            if (p >= n) {
                return out;
            }
            StringBuilder w = new StringBuilder();
            char q = 0;
            if (line.charAt(p) == '"' || line.charAt(p) == '\'') {
                q = line.charAt(p++);
            }
            while (true) {
                if (p >= n) {
                    if (q != 0) {
                        return null;
                    }
                    break;
                }
                char c = line.charAt(p);
                if (q == 0 && Character.isWhitespace(c)) {
                    break;
                }
                if (q != 0 && c == '\\' && p + 1 < n) {
                    char e = line.charAt(++p);
                    w.append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e);
                    p++;
                    continue;
                }
                if (q != 0 && c == q) {
                    p++;
                    if (p < n && !Character.isWhitespace(line.charAt(p))) {
                        return null;
                    }
                    break;
                }
                w.append(c);
                p++;
            }
            out.add(w.toString());
        }
    }
}
