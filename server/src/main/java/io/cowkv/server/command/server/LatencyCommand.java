package io.cowkv.server.command.server;

import io.cowkv.server.command.CommandHandler;
import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.CommandSpec;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.metrics.CommandLatency;
import io.cowkv.server.metrics.LatencyMonitor;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Reply;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.cowkv.server.command.CommandSpec.command;

/**
 * LATENCY DOCTOR | GRAPH | HELP | HISTOGRAM | HISTORY | LATEST | RESET, with Redis 7.0's replies:
 * the monitor's events come from {@link LatencyMonitor} (ServerContext.latency), the per-command
 * histograms from each command's {@link CommandLatency}. Keyspace thread only.
 */
public final class LatencyCommand {
    private final ServerContext server;

    public LatencyCommand(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        // Arity, flags and keys for dispatch; docs, tips and key specs come from Redis's metadata.
        r.register(command("latency", -2)
                .sub(sub("doctor", 2, this::doctor))
                .sub(sub("graph", 3, this::graph))
                .sub(command("help", 2).flags("loading", "stale").handler(this::help).build())
                .sub(sub("histogram", -2, this::histogram))
                .sub(sub("history", 3, this::history))
                .sub(sub("latest", 2, this::latest))
                .sub(sub("reset", -2, this::reset))
                .build());
    }

    private static CommandSpec sub(String name, int arity, CommandHandler h) {
        return command(name, arity).flags("admin", "noscript", "loading", "stale").handler(h).build();
    }

    private void doctor(Session s, CommandArgs a) {
        s.reply().verbatim(server.latency.doctor(server.config.hz(), server.config.slowlogLogSlowerThan()));
    }

    private void graph(Session s, CommandArgs a) {
        String graph = server.latency.graph(a.string(2));
        if (graph == null) {
            s.reply().error("ERR No samples available for event '" + a.string(2) + "'");
        } else {
            s.reply().verbatim(graph);
        }
    }

    private void history(Session s, CommandArgs a) {
        Reply r = s.reply();
        List<long[]> samples = server.latency.history(a.string(2));
        r.array(samples.size());
        for (long[] sample : samples) {
            r.array(2);
            r.integer(sample[0]);
            r.integer(sample[1]);
        }
    }

    private void latest(Session s, CommandArgs a) {
        Reply r = s.reply();
        List<String> events = server.latency.events();
        r.array(events.size());
        for (String event : events) {
            long[] l = server.latency.latest(event);
            r.array(4);
            r.bulk(event);
            r.integer(l[0]);
            r.integer(l[1]);
            r.integer(l[2]);
        }
    }

    private void reset(Session s, CommandArgs a) {
        int resets = 0;
        if (a.count() == 2) {
            resets = server.latency.reset(null);
        } else {
            for (int j = 2; j < a.count(); j++) {
                resets += server.latency.reset(a.string(j));
            }
        }
        s.reply().integer(resets);
    }

    /**
     * LATENCY HISTOGRAM [command ...]: a map of command full name to {calls, histogram_usec}. Without
     * names every command with a histogram, in the command table's order (a container, then its
     * subcommands); with names each one looked up as Redis's lookupCommandBySds ({@code config|get}
     * names a subcommand, a container also lists its subcommands' histograms), unknown names skipped,
     * repeated names repeated.
     */
    private void histogram(Session s, CommandArgs a) {
        List<CommandSpec> specs = new ArrayList<>();
        if (a.count() == 2) {
            for (CommandSpec spec : server.commands.all()) {
                addWithHistogram(spec, specs);
            }
        } else {
            for (int j = 2; j < a.count(); j++) {
                CommandSpec spec = lookup(a.string(j));
                if (spec != null) {
                    if (spec.stats.latency.histogram() != null) {
                        specs.add(spec);
                    }
                    for (CommandSpec sub : spec.subcommands().values()) {
                        if (sub.stats.latency.histogram() != null) {
                            specs.add(sub);
                        }
                    }
                }
            }
        }
        Reply r = s.reply();
        r.map(specs.size());
        for (CommandSpec spec : specs) {
            Histogram h = spec.stats.latency.histogram();
            r.bulk(spec.fullName());
            r.map(2);
            r.bulk("calls");
            r.integer(h.getTotalCount());
            r.bulk("histogram_usec");
            long[] cdf = CommandLatency.cdf(h);
            r.map(cdf.length / 2);
            for (long v : cdf) {
                r.integer(v);
            }
        }
    }

    private static void addWithHistogram(CommandSpec spec, List<CommandSpec> out) {
        if (spec.stats.latency.histogram() != null) {
            out.add(spec);
        }
        for (CommandSpec sub : spec.subcommands().values()) {
            addWithHistogram(sub, out);
        }
    }

    /** Redis's lookupCommandBySds: {@code name} or {@code container|sub}, ignoring case; null when unknown. */
    private CommandSpec lookup(String name) {
        String[] parts = name.toLowerCase(Locale.ROOT).split("\\|", -1);
        if (parts.length > 2) {
            return null;
        }
        CommandSpec base = server.commands.get(parts[0]);
        if (parts.length == 1 || base == null) {
            return base;
        }
        return base.subcommand(parts[1]);
    }

    private void help(Session s, CommandArgs a) {
        s.reply().simpleLines(
                "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "DOCTOR",
                "    Return a human readable latency analysis report.",
                "GRAPH <event>",
                "    Return an ASCII latency graph for the <event> class.",
                "HISTORY <event>",
                "    Return time-latency samples for the <event> class.",
                "LATEST",
                "    Return the latest latency samples for all events.",
                "RESET [<event> ...]",
                "    Reset latency data of one or more <event> classes.",
                "    (default: reset all data for all event classes)",
                "HISTOGRAM [COMMAND ...]",
                "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
                "    If no commands are specified then all histograms are replied.",
                "HELP",
                "    Prints this help.");
    }
}
