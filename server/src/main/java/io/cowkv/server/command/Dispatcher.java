package io.cowkv.server.command;

import io.cowkv.server.metrics.LatencyMonitor;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

/**
 * Runs one decoded command: finds it in the table, checks arity (and the subcommand for
 * container commands such as CONFIG), refuses writes when Redis would (OOM, MISCONF), runs the
 * handler and counts it. Unknown commands and arity errors are answered here and nowhere else.
 *
 * <p>Contract: keyspace thread only; writes exactly one top-level reply per call (unless the
 * client turned replies off, in which case what the handler wrote is dropped).
 */
public final class Dispatcher {
    private final ServerContext server;
    /** Answers whether writes must be refused: returns the error or null. Set by bootstrap. */
    private WriteGuard writeGuard = (spec, session) -> null;

    /** Decides whether a write command may run now (maxmemory, failed background save). */
    public interface WriteGuard {
        io.cowkv.server.protocol.ErrorReply check(CommandSpec spec, Session session);
    }

    private java.util.function.Consumer<String> internalErrors = m -> { };

    /** Where internal errors of command handlers are reported (the server log); set by bootstrap. */
    public void internalErrors(java.util.function.Consumer<String> log) {
        this.internalErrors = log;
    }

    /** Reports an internal error found outside a command handler (a connection's pipeline) the same way. */
    public void reportInternalError(String message) {
        internalErrors.accept(message);
    }

    /** Logs a warning about a client (through the same sink as internal errors: the server log's warnings). */
    public void reportWarning(String message) {
        internalErrors.accept(message);
    }

    public Dispatcher(ServerContext server) {
        this.server = server;
    }

    public void writeGuard(WriteGuard guard) {
        this.writeGuard = guard;
    }

    /** Most commands {@link #prefetch} looks at per call. */
    public static final int PREFETCH_MAX = 64;
    private final long[] heads = new long[PREFETCH_MAX];
    private final long[] seconds = new long[PREFETCH_MAX];
    /** Consumes the warm-up loads so the JIT keeps them; never read for anything else. */
    private long prefetchSink;

    /**
     * Warms the CPU caches for the first key of each of {@code cmds[0, n)} (a pipelined read batch
     * about to be dispatched in order in session {@code s}'s database): first every key's bucket
     * slot address (both tables' while a rehash runs), then every slot, then every bucket's first
     * record. Before that it moves the batch's share of a running incremental rehash
     * ({@code Database.rehashAhead}: the buckets the look-ups would move one by one, with
     * overlapped loads). Changes no content and replies nothing; commands past
     * {@link #PREFETCH_MAX}, unknown commands and commands without keys are skipped. Keyspace thread.
     */
    public void prefetch(Session s, CommandArgs[] cmds, int n) {
        n = Math.min(n, PREFETCH_MAX);
        io.cowkv.server.keyspace.Database db = server.keyspace.db(s.db);
        db.rehashAhead(n); // the rehash steps the batch's look-ups would make, with overlapped loads
        for (int i = 0; i < n; i++) {
            CommandArgs a = cmds[i];
            CommandSpec spec = a.count() > 1 && !a.hasNative() ? server.commands.lookup(a, 0) : null;
            int k = spec == null ? 0 : spec.firstKey;
            if (k > 0 && k < a.count()) {
                long h = io.cowkv.server.keyspace.Database.keyHash(a.data(), a.offset(k), a.length(k));
                heads[i] = db.slotAddress(h);
                seconds[i] = db.secondSlotAddress(h);
            } else {
                heads[i] = 0;
                seconds[i] = 0;
            }
        }
        long sink = 0;
        for (int i = 0; i < n; i++) {
            heads[i] = db.readSlot(heads[i]);
            sink ^= db.readSlot(seconds[i]);
        }
        for (int i = 0; i < n; i++) {
            sink ^= db.touchRecord(heads[i]);
        }
        prefetchSink = sink;
    }

    public void dispatch(Session s, CommandArgs args) {
        dispatch(s, args, false);
    }

    /**
     * Moves the big arguments that {@code spec}'s handler does not take in native memory to the
     * heap (see {@code CommandArgs}). Answers with an error and returns false when the heap cannot
     * hold them; the command then does not run.
     */
    private boolean nativeArgumentsOnHeap(Session s, CommandSpec spec, CommandArgs args) {
        try {
            for (int i = 1; i < args.count(); i++) {
                if (args.isNative(i) && !spec.takesNative(i)) {
                    args.toHeap(i);
                }
            }
            return true;
        } catch (OutOfMemoryError e) {
            internalError(s.reply(), spec, e);
            return false;
        }
    }

    /** Answers a command that failed inside with an error and logs why. */
    private void internalError(Reply reply, CommandSpec spec, Throwable e) {
        reply.error("ERR internal error executing '" + spec.fullName() + "': " + e.getClass().getSimpleName());
        internalErrors.accept("Internal error executing '" + spec.fullName() + "': " + e);
    }

    /** End time (System.nanoTime) of the last command run in the current batch, 0 when none. */
    private long lastEnd;

    /**
     * As {@link #dispatch(Session, CommandArgs)}; {@code continuesBatch} says the previous call was
     * for the command just before this one in the same read batch, whose end time then serves as
     * this command's start in its latency statistics (the batch is decoded beforehand, so only the
     * dispatcher's own bookkeeping lies in between): one clock read per command instead of two.
     */
    public void dispatch(Session s, CommandArgs args, boolean continuesBatch) {
        if (!continuesBatch) {
            lastEnd = 0;
        }
        Reply reply = s.reply();
        long mark = reply.mark();
        int errorsBefore = reply.errors();
        server.stats.totalCommandsProcessed++;
        // a native argument is 64 KiB or more: no command or subcommand has such a name
        CommandSpec spec = args.isNative(0) ? null : server.commands.lookup(args, 0);
        if (spec == null) {
            reply.error(Errors.unknownCommand(args));
        } else if (spec.hasSubcommands() && args.count() >= 2) {
            CommandSpec sub = args.isNative(1) ? null : spec.subcommand(args.lower(1));
            if (sub == null) {
                reply.error(Errors.unknownSubcommand(args, 1, spec.name));
            } else {
                run(s, sub, args);
            }
        } else {
            run(s, spec, args);
        }
        if (reply.errors() != errorsBefore) {
            server.stats.countError(reply.lastErrorType());
            if (spec != null && reply.lastErrorRejected()) {
                spec.stats.rejectedCalls++;
            }
        }
        // CLIENT REPLY OFF|SKIP: the reply is produced (for statistics) and then dropped.
        if (s.replyMode == Session.ReplyMode.OFF || s.skipNext) {
            if (s.skipNext && s.replyMode != Session.ReplyMode.SKIP) {
                s.skipNext = false;
            }
            reply.rewind(mark);
        }
        if (s.replyMode == Session.ReplyMode.SKIP) {
            s.replyMode = Session.ReplyMode.ON;
            s.skipNext = true;
        }
    }

    private void run(Session s, CommandSpec spec, CommandArgs args) {
        Reply reply = s.reply();
        if (!spec.acceptsArity(args.count())) {
            reply.rejected(Errors.wrongArity(spec.fullName()));
            return;
        }
        if (spec.isProtected && !server.protectedCommandsAllowed(s)) {
            reply.rejected(Errors.protectedCommand(spec.name.toUpperCase(java.util.Locale.ROOT), "enable-debug-command"));
            return;
        }
        // PING too: Redis 7.0 refuses it with MISCONF after a failed background save.
        if (spec.is("write") || spec.is("denyoom") || spec.name.equals("ping")) {
            io.cowkv.server.protocol.ErrorReply refusal = writeGuard.check(spec, s);
            if (refusal != null) {
                reply.rejected(refusal);
                return;
            }
        }
        // after the checks above, which never read the arguments: a refused command's big
        // arguments are never copied to the heap
        if (args.hasNative() && !nativeArgumentsOnHeap(s, spec, args)) {
            return;
        }
        int errorsBefore = reply.errors();
        long mark = reply.mark();
        long start = lastEnd != 0 ? lastEnd : System.nanoTime();
        try {
            spec.handler.execute(s, args);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // A bug or an exhausted resource (the Java heap too: one command's allocation failing
            // leaves the heap as it was) must cost this command, not the connection or the
            // server: drop what the handler wrote and answer with an error instead.
            reply.rewind(mark);
            internalError(reply, spec, e);
        }
        long end = System.nanoTime();
        lastEnd = end;
        long usec = (end - start) / 1000;
        spec.stats.calls++;
        spec.stats.usec += usec;
        if (reply.errors() != errorsBefore) {
            spec.stats.failedCalls++;
        }
        // Redis 7.0's call(): the latency monitor's command events, then the command's histogram.
        if (server.latency.exceeds(usec / 1000)) {
            server.latency.addSample(spec.is("fast") ? LatencyMonitor.FAST_COMMAND : LatencyMonitor.COMMAND, usec / 1000);
        }
        server.slowlog.afterCommand(args, usec, s.addr, s.name);
        if (server.config.latencyTracking()) {
            spec.stats.latency.record(usec);
        }
        s.lastCommand = spec.fullName();
    }
}
