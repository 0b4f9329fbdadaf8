package io.cowkv.server.command.server;

import io.cowkv.server.command.CommandKeys;
import io.cowkv.server.command.CommandMetadata;
import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.CommandSpec;
import io.cowkv.server.command.RespTree;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.cowkv.server.command.CommandSpec.command;

/**
 * COMMAND and its subcommands. The table (which commands exist, their arity, flags and key
 * positions) is the registry; what COMMAND INFO and COMMAND DOCS say about each command is
 * Redis 7.0.15's own metadata ({@link CommandMetadata}, loaded once at start-up), served for the
 * registered commands only: a container lists only the subcommands CowKV registers.
 */
public final class CommandCommand {
    private final ServerContext server;
    private final CommandMetadata metadata;

    public CommandCommand(ServerContext server) {
        this(server, CommandMetadata.load());
    }

    public CommandCommand(ServerContext server, CommandMetadata metadata) {
        this.server = server;
        this.metadata = metadata;
    }

    public void register(CommandRegistry r) {
        r.register(command("command", -1).flags("loading", "stale").handler(this::all)
                .sub(sub("count", 2, this::count))
                .sub(sub("info", -2, this::info))
                .sub(sub("docs", -2, this::docs))
                .sub(sub("list", -2, this::list))
                .sub(sub("getkeys", -4, (s, a) -> getkeys(s, a, false)))
                .sub(sub("getkeysandflags", -4, (s, a) -> getkeys(s, a, true)))
                .sub(sub("help", 2, this::help))
                .build());
    }

    private static CommandSpec sub(String name, int arity, io.cowkv.server.command.CommandHandler h) {
        return command(name, arity).flags("loading", "stale").handler(h).build();
    }

    private void all(Session s, CommandArgs a) {
        Reply r = s.reply();
        if (a.count() > 1) {
            r.error(Errors.unknownSubcommand(a, 1, "command"));
            return;
        }
        r.array(server.commands.size());
        for (CommandSpec spec : server.commands.all()) {
            writeInfo(r, spec);
        }
    }

    private void count(Session s, CommandArgs a) {
        s.reply().integer(server.commands.size());
    }

    /** Finds "get" or "config|get". */
    private CommandSpec find(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) {
            return server.commands.get(lower);
        }
        CommandSpec parent = server.commands.get(lower.substring(0, bar));
        return parent == null ? null : parent.subcommand(lower.substring(bar + 1));
    }

    private void info(Session s, CommandArgs a) {
        Reply r = s.reply();
        if (a.count() == 2) {
            all(s, new CommandArgs());
            return;
        }
        r.array(a.count() - 2);
        for (int i = 2; i < a.count(); i++) {
            CommandSpec spec = find(a.string(i));
            if (spec == null) {
                r.nullBulk(); // Redis: addReplyNull, "$-1" in RESP2
            } else {
                writeInfo(r, spec);
            }
        }
    }

    /** Redis's reply for the command, its subcommand list holding CowKV's subcommands only. */
    private void writeInfo(Reply r, CommandSpec spec) {
        CommandMetadata.Entry meta = metadata.get(spec.fullName());
        if (meta == null) {
            r.nullBulk(); // never for a registered command: CommandMetadataTest holds that
            return;
        }
        RespTree info = meta.info();
        info.header(r, 10);
        info.writeChildren(r, 0, 9);
        info.child(9).header(r, spec.subcommands().size());
        for (CommandSpec sub : spec.subcommands().values()) {
            writeInfo(r, sub);
        }
    }

    private void docs(Session s, CommandArgs a) {
        Reply r = s.reply();
        List<CommandSpec> specs = new ArrayList<>();
        if (a.count() == 2) {
            for (CommandSpec spec : server.commands.all()) {
                if (metadata.get(spec.fullName()) != null) {
                    specs.add(spec);
                }
            }
        } else {
            for (int i = 2; i < a.count(); i++) {
                CommandSpec spec = find(a.string(i));
                if (spec != null && metadata.get(spec.fullName()) != null) {
                    specs.add(spec);
                }
            }
        }
        r.map(specs.size());
        for (CommandSpec spec : specs) {
            r.bulk(spec.fullName());
            writeDocs(r, spec);
        }
    }

    private void writeDocs(Reply r, CommandSpec spec) {
        CommandMetadata.Entry meta = metadata.get(spec.fullName());
        if (meta == null) {
            r.map(0); // never for a registered command: CommandMetadataTest holds that
            return;
        }
        RespTree docs = meta.docs();
        docs.header(r, docs.size() / 2 + (spec.hasSubcommands() ? 1 : 0));
        docs.writeChildren(r, 0, docs.size());
        if (spec.hasSubcommands()) {
            r.bulk("subcommands");
            r.map(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                r.bulk(sub.fullName());
                writeDocs(r, sub);
            }
        }
    }

    private void list(Session s, CommandArgs a) {
        Reply r = s.reply();
        String pattern = null;
        String category = null;
        boolean module = false;
        if (a.count() == 5 && a.is(2, "filterby")) {
            if (a.is(3, "pattern")) {
                pattern = a.string(4);
            } else if (a.is(3, "aclcat")) {
                category = "@" + a.string(4).toLowerCase(Locale.ROOT);
            } else if (a.is(3, "module")) {
                module = true;
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        } else if (a.count() != 2) {
            r.error(Errors.SYNTAX);
            return;
        }
        List<String> names = new ArrayList<>();
        if (!module) {
            for (CommandSpec spec : server.commands.all()) {
                addNames(spec, pattern, category, names);
                for (CommandSpec sub : spec.subcommands().values()) {
                    addNames(sub, pattern, category, names);
                }
            }
        }
        r.array(names.size());
        for (String n : names) {
            r.bulk(n);
        }
    }

    private void addNames(CommandSpec spec, String pattern, String category, List<String> out) {
        if (pattern != null && !Glob.matches(pattern, spec.fullName(), true)) {
            return;
        }
        if (category != null) {
            CommandMetadata.Entry meta = metadata.get(spec.fullName());
            if (meta == null || !meta.aclCategories().contains(category)) {
                return;
            }
        }
        out.add(spec.fullName());
    }

    /** COMMAND GETKEYS and GETKEYSANDFLAGS (Redis's getKeysSubcommandImpl, checks in its order). */
    private void getkeys(Session s, CommandArgs a, boolean withFlags) {
        Reply r = s.reply();
        int argc = a.count() - 2;
        CommandSpec spec = server.commands.lookup(a, 2);
        if (spec != null && spec.hasSubcommands() && argc >= 2) {
            spec = spec.subcommand(a.lower(3));
        }
        if (spec == null) {
            r.error("ERR Invalid command specified");
            return;
        }
        CommandMetadata.Entry meta = metadata.get(spec.fullName());
        if (meta == null || !CommandKeys.hasKeys(spec.fullName(), meta)) {
            r.error("ERR The command has no key arguments");
            return;
        }
        if (!spec.acceptsArity(argc)) {
            r.error("ERR Invalid number of arguments specified for command");
            return;
        }
        List<CommandKeys.Key> keys = CommandKeys.find(spec.fullName(), meta, spec.arity, a, 2, argc);
        if (keys.isEmpty() && !spec.is("no_mandatory_keys")) {
            r.error("ERR Invalid arguments specified for command");
            return;
        }
        r.array(keys.size());
        for (CommandKeys.Key k : keys) {
            if (withFlags) {
                r.array(2);
            }
            r.bulk(a.data(), a.offset(2 + k.pos()), a.length(2 + k.pos()));
            if (withFlags) {
                r.set(k.flags().size());
                for (String f : k.flags()) {
                    r.simple(f);
                }
            }
        }
    }

    private void help(Session s, CommandArgs a) {
        String[] lines = {
            "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
            "(no subcommand)",
            "    Return details about all Redis commands.",
            "COUNT",
            "    Return the total number of commands in this Redis server.",
            "LIST",
            "    Return a list of all commands in this Redis server.",
            "INFO [<command-name> ...]",
            "    Return details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "DOCS [<command-name> ...]",
            "    Return documentation details about multiple Redis commands.",
            "    If no command names are given, documentation details for all",
            "    commands are returned.",
            "GETKEYS <full-command>",
            "    Return the keys from a full Redis command.",
            "GETKEYSANDFLAGS <full-command>",
            "    Return the keys and the access flags from a full Redis command.",
            "HELP",
            "    Prints this help."};
        s.reply().simpleLines(lines);
    }
}
