package io.cowkv.server.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One row of the command table: a command (or a subcommand such as {@code config|get}), what
 * dispatch needs of it (arity, flags, key positions) and the handler that runs it. What COMMAND
 * INFO/DOCS say about it (summaries, arguments, ACL categories, key specs) is Redis's own
 * metadata, {@link CommandMetadata}; CommandMetadataTest checks that both agree on name, arity,
 * flags and key positions.
 *
 * <p>Arity follows Redis: positive means exactly that many words including the name, negative
 * means at least that many.
 */
public final class CommandSpec {
    public final String name;
    public final int arity;
    public final Set<String> flags;
    public final int firstKey;
    public final int lastKey;
    public final int step;
    /**
     * Arguments the handler takes in native memory ({@code CommandArgs#isNative}): argument
     * {@code nativeFrom}, and when {@code nativeStep > 0} every {@code nativeStep}-th after it;
     * none when 0. The dispatcher moves every other native argument to the heap first.
     */
    private final int nativeFrom;
    private final int nativeStep;
    public final CommandHandler handler;
    /**
     * Redis's CMD_PROTECTED (DEBUG): refused unless enable-debug-command allows the client. Not a
     * COMMAND INFO flag, as in Redis.
     */
    public final boolean isProtected;
    private final Map<String, CommandSpec> subcommands = new LinkedHashMap<>();
    private CommandSpec parent;
    private String fullName;
    /** Per-command statistics for INFO commandstats (keyspace thread only). */
    public final CommandStats stats = new CommandStats();

    private CommandSpec(Builder b) {
        this.name = b.name;
        this.arity = b.arity;
        this.flags = Set.copyOf(b.flags);
        this.firstKey = b.firstKey;
        this.nativeFrom = b.nativeFrom;
        this.nativeStep = b.nativeStep;
        this.lastKey = b.lastKey;
        this.step = b.step;
        this.handler = b.handler;
        this.isProtected = b.isProtected;
        this.fullName = b.name;
    }

    public static Builder command(String name, int arity) {
        return new Builder(name.toLowerCase(Locale.ROOT), arity);
    }

    /** The name used in errors and stats: {@code get}, or {@code config|get} for a subcommand. */
    public String fullName() {
        return fullName;
    }

    public CommandSpec parent() {
        return parent;
    }

    public Map<String, CommandSpec> subcommands() {
        return Collections.unmodifiableMap(subcommands);
    }

    public CommandSpec subcommand(String lowerName) {
        return subcommands.get(lowerName);
    }

    public boolean hasSubcommands() {
        return !subcommands.isEmpty();
    }

    public boolean is(String flag) {
        return flags.contains(flag);
    }

    public boolean acceptsArity(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    CommandSpec addSubcommand(CommandSpec sub) {
        sub.parent = this;
        sub.fullName = name + "|" + sub.name;
        subcommands.put(sub.name, sub);
        return this;
    }

    /** Whether the handler takes argument {@code i} in native memory when it is big. */
    public boolean takesNative(int i) {
        if (nativeFrom == 0 || i < nativeFrom) {
            return false;
        }
        return nativeStep == 0 ? i == nativeFrom : (i - nativeFrom) % nativeStep == 0;
    }

    /** Builder for one table row; see the family classes for examples. */
    public static final class Builder {
        private final String name;
        private final int arity;
        private final List<String> flags = new ArrayList<>();
        private int firstKey;
        private int lastKey;
        private int step;
        private int nativeFrom;
        private int nativeStep;
        private CommandHandler handler;
        private boolean isProtected;
        private final List<CommandSpec> subs = new ArrayList<>();

        private Builder(String name, int arity) {
            this.name = name;
            this.arity = arity;
        }

        /** See {@link CommandSpec#isProtected}. */
        public Builder protectedCommand() {
            this.isProtected = true;
            return this;
        }

        public Builder flags(String... f) {
            flags.addAll(List.of(f));
            return this;
        }

        public Builder keys(int first, int last, int step) {
            this.firstKey = first;
            this.lastKey = last;
            this.step = step;
            return this;
        }

        /** See {@link CommandSpec#takesNative}: argument {@code first}, then every {@code step}-th (0: only it). */
        public Builder nativeValues(int first, int step) {
            this.nativeFrom = first;
            this.nativeStep = step;
            return this;
        }

        public Builder handler(CommandHandler h) {
            this.handler = h;
            return this;
        }

        public Builder sub(CommandSpec s) {
            subs.add(s);
            return this;
        }

        public CommandSpec build() {
            CommandSpec spec = new CommandSpec(this);
            for (CommandSpec s : subs) {
                spec.addSubcommand(s);
            }
            return spec;
        }
    }

    /** Calls, time and failures of one command (INFO commandstats cmdstat_*). */
    public static final class CommandStats {
        public long calls;
        public long usec;
        public long rejectedCalls;
        public long failedCalls;
        /** Latency histogram (INFO latencystats, LATENCY HISTOGRAM); cleared with the rest. */
        public final io.cowkv.server.metrics.CommandLatency latency = new io.cowkv.server.metrics.CommandLatency();

        public void reset() {
            latency.reset();
            calls = 0;
            usec = 0;
            rejectedCalls = 0;
            failedCalls = 0;
        }
    }
}
