package io.cowkv.server.command;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command table: every command family registers its rows here at start-up. Read-only
 * afterwards (looked up on the keyspace thread).
 */
public final class CommandRegistry {
    private final Map<String, CommandSpec> commands = new LinkedHashMap<>();
    /** Buckets by (length, first letter) so a look-up compares a few names and allocates nothing. */
    private CommandSpec[][] buckets = new CommandSpec[BUCKETS][];
    private static final int BUCKETS = 1024;

    public CommandRegistry register(CommandSpec spec) {
        if (commands.putIfAbsent(spec.name, spec) != null) {
            throw new IllegalStateException("command registered twice: " + spec.name);
        }
        int b = bucket(spec.name.length(), spec.name.charAt(0));
        CommandSpec[] old = buckets[b];
        CommandSpec[] grown = old == null ? new CommandSpec[1] : java.util.Arrays.copyOf(old, old.length + 1);
        grown[grown.length - 1] = spec;
        buckets[b] = grown;
        return this;
    }

    /** Looks up a command by its lower-case name; null when unknown. */
    public CommandSpec get(String lowerName) {
        return commands.get(lowerName);
    }

    /** Looks up argument {@code i} of {@code args} as a command name, ignoring ASCII case; null when unknown. */
    public CommandSpec lookup(io.cowkv.server.protocol.CommandArgs args, int i) {
        int len = args.length(i);
        if (len == 0) {
            return null;
        }
        int c = io.cowkv.server.protocol.CommandArgs.lowerAscii(args.data()[args.offset(i)]);
        CommandSpec[] bucket = buckets[bucket(len, c)];
        if (bucket == null) {
            return null;
        }
        for (CommandSpec spec : bucket) {
            if (args.is(i, spec.name)) {
                return spec;
            }
        }
        return null;
    }

    private static int bucket(int len, int firstLower) {
        return ((len * 31) + (firstLower & 0xff)) & (BUCKETS - 1);
    }

    public Collection<CommandSpec> all() {
        return Collections.unmodifiableCollection(commands.values());
    }

    public int size() {
        return commands.size();
    }
}
