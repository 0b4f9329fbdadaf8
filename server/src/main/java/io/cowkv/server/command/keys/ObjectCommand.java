package io.cowkv.server.command.keys;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.CommandSpec;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Reply;

import static io.cowkv.server.command.CommandSpec.command;

/** OBJECT ENCODING | REFCOUNT | IDLETIME | FREQ | HELP. */
public final class ObjectCommand {
    private final ServerContext server;

    public ObjectCommand(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        r.register(command("object", -2)
                .sub(sub("encoding", 3, this::encoding))
                .sub(sub("refcount", 3, this::refcount))
                .sub(sub("idletime", 3, this::idletime))
                .sub(sub("freq", 3, this::freq))
                .sub(command("help", 2).flags("loading", "stale").handler(this::help).build())
                .build());
    }

    private static CommandSpec sub(String name, int arity, io.cowkv.server.command.CommandHandler h) {
        return command(name, arity).flags("readonly").keys(2, 2, 1).handler(h).build();
    }

    /** The entry, without touching its access time (OBJECT never counts as an access). */
    private Entry entry(Session s, CommandArgs a) {
        return server.keyspace.db(s.db).peek(a.data(), a.offset(2), a.length(2));
    }

    private void encoding(Session s, CommandArgs a) {
        Entry e = entry(s, a);
        if (e == null) {
            s.reply().nullBulk();
        } else {
            s.reply().bulk(e.encoding());
        }
    }

    private void refcount(Session s, CommandArgs a) {
        Entry e = entry(s, a);
        if (e == null) {
            s.reply().nullBulk();
        } else {
            s.reply().integer(e.sharedInteger() ? Integer.MAX_VALUE : 1);
        }
    }

    private void idletime(Session s, CommandArgs a) {
        Entry e = entry(s, a);
        if (e == null) {
            s.reply().nullBulk();
            return;
        }
        if (server.config.maxmemoryPolicy().contains("lfu")) {
            s.reply().error("ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
            return;
        }
        s.reply().integer(e.idleSeconds(server.keyspace.clock().millis()));
    }

    private void freq(Session s, CommandArgs a) {
        Entry e = entry(s, a);
        if (e == null) {
            s.reply().nullBulk();
            return;
        }
        if (!server.config.maxmemoryPolicy().contains("lfu")) {
            s.reply().error("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
            return;
        }
        s.reply().integer(0);
    }

    private void help(Session s, CommandArgs a) {
        String[] lines = {
            "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "ENCODING <key>",
            "    Return the kind of internal representation used in order to store the value",
            "    associated with a <key>.",
            "FREQ <key>",
            "    Return the access frequency index of the <key>. The returned integer is",
            "    proportional to the logarithm of the recent access frequency of the key.",
            "IDLETIME <key>",
            "    Return the idle time of the <key>, that is the approximated number of",
            "    seconds elapsed since the last access to the key.",
            "REFCOUNT <key>",
            "    Return the number of references of the value associated with the specified",
            "    <key>.",
            "HELP",
            "    Prints this help."};
        s.reply().simpleLines(lines);
    }
}
