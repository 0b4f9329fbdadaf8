package io.cowkv.server.bootstrap;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server log in Redis's format: {@code pid:M 26 Nov 2026 11:29:00.123 * message}, where the
 * mark is '.' debug, '-' verbose, '*' notice, '#' warning. Written by hand because no logging
 * library produces this layout; libraries' own logs go to slf4j-simple on stderr.
 *
 * <p>Thread-safe and asynchronous: {@link #log} stamps the time and queues the line; one daemon
 * thread ({@code cowkv-log}) formats and writes the lines in the order they were queued, flushing
 * when the queue runs empty. The keyspace thread logs (BGSAVE's "Background saving started",
 * the save's end, client errors), and a synchronous write there cost 250-650 us per line
 * (formatting run by the interpreter, as a rare line's code is never compiled, and the write
 * itself): most of BGSAVE's time in the server (session 19). Queuing costs a few us. Every exit
 * path calls {@link #flush()} so the last lines ("ready to exit") are written; a process killed
 * with SIGKILL may lose the lines of its last moments, which Redis (synchronous) would not.
 * When 65,536 lines wait (the output is stuck), loggers block until there is room.
 */
public final class ServerLog {
    public enum Level { DEBUG('.'), VERBOSE('-'), NOTICE('*'), WARNING('#');
        final char mark;

        Level(char mark) {
            this.mark = mark;
        }
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ROOT);
    private static final long PID = ProcessHandle.current().pid();
    private static volatile PrintStream out = System.out;
    private static volatile Level threshold = Level.NOTICE;

    /** A line waiting to be written: the time it was logged, its level, its text. */
    private record Line(long millis, Level level, String msg) {
    }

    private static final BlockingQueue<Line> QUEUE = new ArrayBlockingQueue<>(65_536);
    private static final AtomicLong QUEUED = new AtomicLong();
    private static final AtomicLong WRITTEN = new AtomicLong();

    static {
        Thread writer = new Thread(ServerLog::writeLoop, "cowkv-log");
        writer.setDaemon(true);
        writer.start();
    }

    private ServerLog() {
    }

    /** Applies {@code loglevel} and {@code logfile} (empty = standard output). */
    public static void configure(String loglevel, String logfile) throws IOException {
        switch (loglevel) {
            case "debug": threshold = Level.DEBUG; break;
            case "verbose": threshold = Level.VERBOSE; break;
            case "warning": threshold = Level.WARNING; break;
            case "nothing": threshold = null; break;
            default: threshold = Level.NOTICE; break;
        }
        if (!logfile.isEmpty()) {
            flush();
            out = new PrintStream(new FileOutputStream(logfile, true), true, StandardCharsets.UTF_8);
        }
    }

    /** Where lines go from now on (tests); returns the previous stream. Lines already queued go there too. */
    static PrintStream redirect(PrintStream to) {
        flush();
        PrintStream before = out;
        out = to;
        return before;
    }

    /** Sets the threshold (tests; null logs nothing); returns the previous one. */
    static Level threshold(Level to) {
        Level before = threshold;
        threshold = to;
        return before;
    }

    public static void notice(String msg) {
        log(Level.NOTICE, msg);
    }

    public static void warning(String msg) {
        log(Level.WARNING, msg);
    }

    public static void verbose(String msg) {
        log(Level.VERBOSE, msg);
    }

    public static void debug(String msg) {
        log(Level.DEBUG, msg);
    }

    /** Queues the line with the current time; it is written shortly after by the log thread. */
    public static void log(Level level, String msg) {
        Level t = threshold;
        if (t == null || level.ordinal() < t.ordinal()) {
            return;
        }
        Line line = new Line(System.currentTimeMillis(), level, msg);
        QUEUED.incrementAndGet(); // before the put, so a flush() that counts it waits for it
        try {
            QUEUE.put(line);
        } catch (InterruptedException e) {
            QUEUED.decrementAndGet();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until every line queued before this call is written and flushed, at most 2 s (a
     * stuck output must not stop an exit). Called before the process exits.
     */
    public static void flush() {
        long target = QUEUED.get();
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (WRITTEN.get() < target && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void writeLoop() {
        while (true) {
            Line line;
            try {
                line = QUEUE.take();
            } catch (InterruptedException e) {
                continue; // a daemon: it ends with the JVM
            }
            PrintStream o = out;
            o.println(PID + ":M " + LocalDateTime.ofInstant(Instant.ofEpochMilli(line.millis), ZoneId.systemDefault()).format(TIME)
                    + " " + line.level.mark + " " + line.msg);
            if (QUEUE.isEmpty()) {
                o.flush();
            }
            WRITTEN.incrementAndGet();
        }
    }
}
