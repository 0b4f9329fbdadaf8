package io.cowkv.server.metrics;

import io.cowkv.server.protocol.CommandArgs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Redis's slow log (slowlog.c): the commands whose run time reached
 * {@code slowlog-log-slower-than} microseconds, newest first, at most {@code slowlog-max-len} of
 * them. An entry keeps a copy of the command's arguments as Redis does: at most
 * {@value #MAX_ARGC} of them (the last one replaced by {@code "... (N more arguments)"} when there
 * were more) and at most {@value #MAX_STRING} bytes of each (then {@code "... (N more bytes)"});
 * arguments a handler marked secret ({@link CommandArgs#redact}) read {@code "(redacted)"}.
 *
 * <p>Cost per command: three comparisons; nothing is allocated unless the command is logged.
 *
 * <p>Contract: keyspace thread only.
 */
public final class SlowLog {
    /** SLOWLOG_ENTRY_MAX_ARGC. */
    static final int MAX_ARGC = 32;
    /** SLOWLOG_ENTRY_MAX_STRING. */
    static final int MAX_STRING = 128;
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);

    /** One logged command (Redis's slowlogEntry). */
    public record Entry(long id, long timeSeconds, long durationMicros, byte[][] args, String peer, String clientName) {
    }

    private final LongSupplier clockMillis;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;
    private long slowerThanMicros = 10_000;
    private long maxLen = 128;

    /** {@code clockMillis}: milliseconds since the epoch, for the entries' times (injected for tests). */
    public SlowLog(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    /** {@code slowlog-log-slower-than}: microseconds; negative disables the log, 0 logs every command. */
    public void slowerThan(long micros) {
        this.slowerThanMicros = micros;
    }

    /** {@code slowlog-max-len}. */
    public void maxLen(long len) {
        this.maxLen = len;
    }

    /**
     * After every command that ran (Redis's slowlogPushEntryIfNeeded): with the log on, records
     * the command when it took at least {@code slowlog-log-slower-than}, then drops the oldest
     * entries beyond {@code slowlog-max-len}, so a lowered length applies at the next command.
     * Allocates only when it records.
     */
    public void afterCommand(CommandArgs args, long durationMicros, String peer, String clientName) {
        if (slowerThanMicros < 0) {
            return;
        }
        if (durationMicros >= slowerThanMicros) {
            push(args, durationMicros, clockMillis.getAsLong() / 1000, peer, clientName);
        }
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    /** Adds an entry: a copy of the arguments, cut as Redis cuts them. */
    private void push(CommandArgs args, long durationMicros, long nowSeconds, String peer, String clientName) {
        int argc = args.count();
        int kept = Math.min(argc, MAX_ARGC);
        byte[][] copy = new byte[kept][];
        for (int j = 0; j < kept; j++) {
            if (kept != argc && j == kept - 1) {
                copy[j] = ascii("... (" + (argc - kept + 1) + " more arguments)");
            } else if (args.isRedacted(j)) {
                copy[j] = REDACTED;
            } else {
                copy[j] = truncated(args, j);
            }
        }
        entries.addFirst(new Entry(nextId++, nowSeconds, durationMicros, copy, peer, clientName));
    }

    private static byte[] truncated(CommandArgs args, int j) {
        int len = args.length(j);
        if (len <= MAX_STRING) {
            return args.copy(j);
        }
        byte[] tail = ascii("... (" + (len - MAX_STRING) + " more bytes)");
        byte[] out = Arrays.copyOf(args.copyPrefix(j, MAX_STRING), MAX_STRING + tail.length);
        System.arraycopy(tail, 0, out, MAX_STRING, tail.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The newest {@code count} entries (all when {@code count} is at least the length), newest first. */
    public List<Entry> newest(long count) {
        List<Entry> out = new ArrayList<>((int) Math.min(count, entries.size()));
        Iterator<Entry> it = entries.iterator();
        while (out.size() < count && it.hasNext()) {
            out.add(it.next());
        }
        return out;
    }

    public int length() {
        return entries.size();
    }

    /** SLOWLOG RESET: drops every entry; ids keep counting up, as in Redis. */
    public void reset() {
        entries.clear();
    }
}
