package io.cowkv.server.bootstrap;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The server log in Redis's format: {@code pid:M 26 Nov 2026 11:29:00.123 * message}, where the
 * mark is '.' debug, '-' verbose, '*' notice, '#' warning. Written by hand because no logging
 * library produces this layout; libraries' own logs go to slf4j-simple on stderr.
 * Thread-safe (one synchronized print per line).
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
            out = new PrintStream(new FileOutputStream(logfile, true), true, StandardCharsets.UTF_8);
        }
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

    public static void log(Level level, String msg) {
        Level t = threshold;
        if (t == null || level.ordinal() < t.ordinal()) {
            return;
        }
        String line = PID + ":M " + LocalDateTime.now().format(TIME) + " " + level.mark + " " + msg;
        PrintStream o = out;
        synchronized (ServerLog.class) {
            o.println(line);
            o.flush();
        }
    }
}
