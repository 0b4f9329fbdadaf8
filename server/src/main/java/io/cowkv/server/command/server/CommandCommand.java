package io.cowkv.server.command.server;

import io.cowkv.server.command.ArgDoc;
import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.CommandSpec;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.cowkv.server.command.CommandSpec.command;

/** COMMAND and its subcommands, answered from the command table. */
public final class CommandCommand {
    private final ServerContext server;

    public CommandCommand(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        r.register(command("command", -1).flags("loading", "stale").group("server")
                .doc("Returns detailed information about all commands.", "2.8.13", "O(N) where N is the total number of Redis commands")
                .handler(this::all)
                .sub(sub("count", 2, "Returns a count of commands.", "", this::count))
                .sub(sub("info", -2, "Returns information about one, multiple or all commands.", "[command-name:string ...]", this::info))
                .sub(sub("docs", -2, "Returns documentary information about one, multiple or all commands.", "[command-name:string ...]", this::docs))
                .sub(sub("list", -2, "Returns a list of command names.",
                        "[FILTERBY (MODULE module-name:string|ACLCAT category:string|PATTERN pattern:pattern)]", this::list))
                .sub(sub("getkeys", -4, "Extracts the key names from an arbitrary command.", "command:string [arg:string ...]", this::getkeys))
                .sub(sub("help", 2, "Returns helpful text about the different subcommands.", "", this::help))
                .build());
    }

    private static CommandSpec sub(String name, int arity, String summary, String args,
                                   io.cowkv.server.command.CommandHandler h) {
        return command(name, arity).flags("loading", "stale").group("server")
                .doc(summary, "7.0.0", "O(N) where N is the number of commands to look up").args(args).handler(h).build();
    }

    private void all(Session s, CommandArgs a) {
        Reply r = s.reply();
        if (a.count() > 1) {
            r.error(Errors.unknownSubcommand(a.string(1), "command"));
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

    private void writeInfo(Reply r, CommandSpec spec) {
        r.array(10);
        r.bulk(spec.fullName());
        r.integer(spec.arity);
        r.set(spec.flags.size());
        for (String f : sortedFlags(spec)) {
            r.simple(f);
        }
        r.integer(spec.firstKey);
        r.integer(spec.lastKey);
        r.integer(spec.step);
        List<String> cats = aclCategories(spec);
        r.set(cats.size());
        for (String c : cats) {
            r.simple(c);
        }
        r.set(0); // tips
        if (spec.firstKey > 0) {
            r.array(1);
            r.map(3);
            r.bulk("flags");
            r.set(spec.is("write") ? 2 : 2);
            r.simple(spec.is("write") ? "RW" : "RO");
            r.simple(spec.is("write") ? "update" : "access"); // Redis writes these key-spec flags in lower case
            r.bulk("begin_search");
            r.map(2);
            r.bulk("type");
            r.bulk("index");
            r.bulk("spec");
            r.map(1);
            r.bulk("index");
            r.integer(spec.firstKey);
            r.bulk("find_keys");
            r.map(2);
            r.bulk("type");
            r.bulk("range");
            r.bulk("spec");
            r.map(3);
            r.bulk("lastkey");
            r.integer(spec.lastKey < 0 ? spec.lastKey : spec.lastKey - spec.firstKey);
            r.bulk("keystep");
            r.integer(spec.step);
            r.bulk("limit");
            r.integer(0);
        } else {
            r.array(0);
        }
        r.array(spec.subcommands().size());
        for (CommandSpec sub : spec.subcommands().values()) {
            writeInfo(r, sub);
        }
    }

    /** Command flags in the order Redis lists them (its flag bits' order, addReplyCommandFlags). */
    private static final List<String> FLAG_ORDER = List.of("write", "readonly", "denyoom", "module", "admin", "pubsub",
            "noscript", "blocking", "loading", "stale", "skip_monitor", "skip_slowlog", "asking", "fast", "no_auth",
            "no_mandatory_keys", "no_async_loading", "no_multi", "movablekeys", "allow_busy");

    /** ACL categories in the order Redis lists them (ACLCommandCategories). */
    private static final List<String> CATEGORY_ORDER = List.of("@keyspace", "@read", "@write", "@set", "@sortedset",
            "@list", "@hash", "@string", "@bitmap", "@hyperloglog", "@geo", "@stream", "@pubsub", "@admin", "@fast",
            "@slow", "@blocking", "@dangerous", "@connection", "@transaction", "@scripting");

    private static List<String> sortedFlags(CommandSpec spec) {
        List<String> out = new ArrayList<>(spec.flags);
        out.sort(java.util.Comparator.comparingInt((String f) -> {
            int i = FLAG_ORDER.indexOf(f);
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(f -> f));
        return out;
    }

    private static List<String> aclCategories(CommandSpec spec) {
        // The command's own category (from its group), then the ones Redis derives from flags
        // (setImplicitACLCategories), listed in Redis's category order.
        // TODO(cowkv): per-command categories where Redis's differ from the group (DBSIZE is @keyspace).
        java.util.Set<String> cats = new java.util.HashSet<>();
        String g = spec.group;
        if (g.equals("generic")) {
            cats.add("@keyspace");
        } else if (!g.equals("server")) {
            cats.add("@" + g);
        }
        if (spec.is("write")) {
            cats.add("@write");
        }
        if (spec.is("readonly")) {
            cats.add("@read");
        }
        if (spec.is("admin")) {
            cats.add("@admin");
            cats.add("@dangerous");
        }
        if (spec.is("pubsub")) {
            cats.add("@pubsub");
        }
        if (spec.is("blocking")) {
            cats.add("@blocking");
        }
        cats.add(spec.is("fast") ? "@fast" : "@slow");
        List<String> out = new ArrayList<>(cats);
        out.sort(java.util.Comparator.comparingInt((String c) -> {
            int i = CATEGORY_ORDER.indexOf(c);
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(c -> c));
        return out;
    }

    private void docs(Session s, CommandArgs a) {
        Reply r = s.reply();
        List<CommandSpec> specs = new ArrayList<>();
        if (a.count() == 2) {
            specs.addAll(server.commands.all());
        } else {
            for (int i = 2; i < a.count(); i++) {
                CommandSpec spec = find(a.string(i));
                if (spec != null) {
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
        int fields = 4 + (spec.args.isEmpty() ? 0 : 1) + (spec.hasSubcommands() ? 1 : 0);
        r.map(fields);
        r.bulk("summary");
        r.bulk(spec.summary);
        r.bulk("since");
        r.bulk(spec.since);
        r.bulk("group");
        r.bulk(spec.group);
        r.bulk("complexity");
        r.bulk(spec.complexity);
        if (!spec.args.isEmpty()) {
            r.bulk("arguments");
            writeArgs(r, spec.args);
        }
        if (spec.hasSubcommands()) {
            r.bulk("subcommands");
            r.map(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                r.bulk(sub.fullName());
                writeDocs(r, sub);
            }
        }
    }

    private void writeArgs(Reply r, List<ArgDoc> args) {
        r.array(args.size());
        int keyIndex = 0;
        for (ArgDoc arg : args) {
            List<String> flags = new ArrayList<>();
            if (arg.optional) {
                flags.add("optional");
            }
            if (arg.multiple) {
                flags.add("multiple");
            }
            boolean isKey = arg.type.equals("key");
            int n = 3 + (isKey ? 1 : 0) + (arg.token != null ? 1 : 0) + (flags.isEmpty() ? 0 : 1)
                    + (arg.children.isEmpty() ? 0 : 1);
            r.map(n);
            r.bulk("name");
            r.bulk(arg.name);
            r.bulk("type");
            r.bulk(arg.type);
            r.bulk("display_text");
            r.bulk(arg.name);
            if (isKey) {
                r.bulk("key_spec_index");
                r.integer(keyIndex);
            }
            if (arg.token != null) {
                r.bulk("token");
                r.bulk(arg.token);
            }
            if (!flags.isEmpty()) {
                r.bulk("flags");
                r.set(flags.size());
                for (String f : flags) {
                    r.simple(f);
                }
            }
            if (!arg.children.isEmpty()) {
                r.bulk("arguments");
                writeArgs(r, arg.children);
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

    private static void addNames(CommandSpec spec, String pattern, String category, List<String> out) {
        if (pattern != null && !Glob.matches(pattern, spec.fullName(), true)) {
            return;
        }
        if (category != null && !aclCategories(spec).contains(category)) {
            return;
        }
        out.add(spec.fullName());
    }

    private void getkeys(Session s, CommandArgs a) {
        Reply r = s.reply();
        CommandSpec spec = server.commands.get(a.lower(2));
        if (spec == null) {
            r.error("ERR Invalid command specified");
            return;
        }
        int argc = a.count() - 2;
        if (!spec.acceptsArity(argc)) {
            r.error("ERR Invalid number of arguments specified for command");
            return;
        }
        if (spec.firstKey <= 0) {
            r.error("ERR The command has no key arguments");
            return;
        }
        int last = spec.lastKey < 0 ? argc + spec.lastKey : spec.lastKey;
        List<Integer> idx = new ArrayList<>();
        for (int i = spec.firstKey; i <= last && i < argc; i += Math.max(1, spec.step)) {
            idx.add(i + 2);
        }
        r.array(idx.size());
        for (int i : idx) {
            r.bulk(a.data(), a.offset(i), a.length(i));
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
            "HELP",
            "    Prints this help."};
        s.reply().simpleLines(lines);
    }
}
