package io.cowkv.server.command.server;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.CommandSpec;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.config.ConfigException;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Reply;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.cowkv.server.command.CommandSpec.command;

/** CONFIG GET / SET / RESETSTAT / HELP over {@link io.cowkv.server.config.ServerConfig}. */
public final class ConfigCommand {
    private final ServerContext server;
    private final List<Runnable> resetters = new ArrayList<>();

    public ConfigCommand(ServerContext server) {
        this.server = server;
    }

    /** Adds something CONFIG RESETSTAT resets (stats owned by other layers). */
    public void onResetStat(Runnable r) {
        resetters.add(r);
    }

    public void register(CommandRegistry r) {
        r.register(command("config", -2)
                .sub(sub("get", -3, this::get))
                .sub(sub("set", -4, this::set))
                .sub(sub("resetstat", 2, this::resetstat))
                .sub(sub("rewrite", 2, this::rewrite))
                .sub(command("help", 2).flags("loading", "stale").handler(this::help).build())
                .build());
    }

    private static CommandSpec sub(String name, int arity, io.cowkv.server.command.CommandHandler h) {
        return command(name, arity).flags("admin", "noscript", "loading", "stale").handler(h).build();
    }

    /**
     * Parameters Redis 7 marks PROTECTED_CONFIG: CONFIG SET refuses them while
     * enable-protected-configs is "no", its default (CowKV has no such switch yet).
     */
    private static final Set<String> PROTECTED = Set.of("dir", "dbfilename");

    private void get(Session s, CommandArgs a) {
        Map<String, String> found = new LinkedHashMap<>();
        for (int i = 2; i < a.count(); i++) {
            String typed = a.string(i);
            String pattern = typed.toLowerCase(Locale.ROOT);
            if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0 && pattern.indexOf('[') < 0) {
                // Redis looks a plain name up directly and answers with the name as typed.
                if (!found.containsKey(typed) && server.config.has(pattern)) {
                    found.put(typed, server.config.get(pattern));
                }
                continue;
            }
            for (String name : server.config.names()) {
                if (!found.containsKey(name) && Glob.matches(pattern, name, true)) {
                    found.put(name, server.config.get(name));
                }
            }
        }
        Reply r = s.reply();
        r.map(found.size());
        for (Map.Entry<String, String> e : found.entrySet()) {
            r.bulk(e.getKey());
            r.bulk(e.getValue());
        }
    }

    private void set(Session s, CommandArgs a) {
        Reply r = s.reply();
        if ((a.count() - 2) % 2 != 0) {
            r.error(io.cowkv.server.protocol.Errors.SYNTAX); // Redis 7.0: an odd count is a syntax error
            return;
        }
        Set<String> seen = new HashSet<>();
        List<String[]> pairs = new ArrayList<>();
        for (int i = 2; i < a.count(); i += 2) {
            String name = a.string(i).toLowerCase(Locale.ROOT);
            if (!server.config.has(name)) {
                r.error("ERR Unknown option or number of arguments for CONFIG SET - '" + a.string(i) + "'");
                return;
            }
            // These errors name the parameter as the client typed it, as Redis does.
            if (!server.config.isMutable(name)) {
                r.error("ERR CONFIG SET failed (possibly related to argument '" + a.string(i) + "') - can't set immutable config");
                return;
            }
            if (PROTECTED.contains(name)) {
                r.error("ERR CONFIG SET failed (possibly related to argument '" + a.string(i) + "') - can't set protected config");
                return;
            }
            if (!seen.add(name)) {
                r.error("ERR CONFIG SET failed (possibly related to argument '" + a.string(i) + "') - duplicate parameter");
                return;
            }
            pairs.add(new String[]{name, a.string(i + 1), a.string(i)});
        }
        // All or nothing, as Redis 7: apply, and restore the old values if one fails.
        List<String[]> applied = new ArrayList<>();
        for (String[] p : pairs) {
            String old = server.config.get(p[0]);
            try {
                if (p[0].equals("dir")) {
                    server.config.setDir(p[1]);
                } else {
                    server.config.set(p[0], p[1], false);
                }
                applied.add(new String[]{p[0], old});
            } catch (ConfigException e) {
                for (String[] undo : applied) {
                    try {
                        server.config.set(undo[0], undo[1], false);
                    } catch (ConfigException ignored) {
                        // the old value was valid before; cannot fail
                    }
                }
                // a value error names the parameter by its own name (Redis's config->name), where
                // the checks above echo what the client typed
                r.error("ERR CONFIG SET failed (possibly related to argument '" + p[0] + "') - " + e.getMessage());
                return;
            }
        }
        r.ok();
    }

    private void resetstat(Session s, CommandArgs a) {
        server.stats.reset();
        server.keyspace.stats().reset();
        for (CommandSpec spec : server.commands.all()) {
            spec.stats.reset();
            for (CommandSpec sub : spec.subcommands().values()) {
                sub.stats.reset();
            }
        }
        resetters.forEach(Runnable::run);
        s.reply().ok();
    }

    private void rewrite(Session s, CommandArgs a) {
        s.reply().error("ERR The server is running without a config file");
    }

    private void help(Session s, CommandArgs a) {
        String[] lines = {
            "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
            "HELP",
            "    Prints this help."};
        s.reply().simpleLines(lines);
    }
}
