package io.cowkv.server.protocol;

/**
 * The error catalogue: every fixed error CowKV replies with, in Redis 7's exact words.
 * Errors with variable parts are built by the static helpers below.
 */
public final class Errors {
    private Errors() {
    }

    public static final ErrorReply SYNTAX = new ErrorReply("ERR syntax error");
    public static final ErrorReply WRONGTYPE =
            new ErrorReply("WRONGTYPE Operation against a key holding the wrong kind of value");
    public static final ErrorReply NOT_INTEGER = new ErrorReply("ERR value is not an integer or out of range");
    public static final ErrorReply NOT_FLOAT = new ErrorReply("ERR value is not a valid float");
    public static final ErrorReply OVERFLOW = new ErrorReply("ERR increment or decrement would overflow");
    public static final ErrorReply INCR_NAN_INF = new ErrorReply("ERR increment would produce NaN or Infinity");
    /** getPositiveLongFromObjectOrReply's default message (not an integer, or negative). */
    public static final ErrorReply POSITIVE_VALUE = new ErrorReply("ERR value is out of range, must be positive");
    public static final ErrorReply NO_SUCH_KEY = new ErrorReply("ERR no such key");
    public static final ErrorReply DB_INDEX_RANGE = new ErrorReply("ERR DB index is out of range");
    public static final ErrorReply INVALID_DB_INDEX = new ErrorReply("ERR invalid DB index");
    public static final ErrorReply STRING_TOO_LONG = new ErrorReply("ERR string exceeds maximum allowed size (proto-max-bulk-len)");
    public static final ErrorReply OFFSET_RANGE = new ErrorReply("ERR offset is out of range");
    public static final ErrorReply OOM = new ErrorReply("OOM command not allowed when used memory > 'maxmemory'.");
    public static final ErrorReply MISCONF = new ErrorReply(
            "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. "
                    + "Commands that may modify the data set are disabled, because this instance is configured to "
                    + "report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). "
                    + "Please check the Redis logs for details about the RDB error.");
    public static final ErrorReply NOPROTO = new ErrorReply("NOPROTO unsupported protocol version");
    public static final ErrorReply TIMEOUT_NOT_INTEGER =
            new ErrorReply("ERR timeout is not an integer or out of range");
    public static final ErrorReply SAME_OBJECT = new ErrorReply("ERR source and destination objects are the same");
    public static final ErrorReply NX_XX_GT_LT =
            new ErrorReply("ERR NX and XX, GT or LT options at the same time are not compatible");
    public static final ErrorReply GT_LT_NX =
            new ErrorReply("ERR GT, LT, and/or NX options at the same time are not compatible");

    /** SET/GETEX/SETEX/EXPIRE...'s error for an expire time out of range; built only when needed. */
    public static ErrorReply invalidExpireTime(String command) {
        return new ErrorReply("ERR invalid expire time in '" + command + "' command");
    }

    public static ErrorReply wrongArity(String command) {
        return new ErrorReply("ERR wrong number of arguments for '" + command + "' command");
    }

    /** Redis's refusal of a protected command (DEBUG) that {@code option} does not allow for this client. */
    public static ErrorReply protectedCommand(String command, String option) {
        return new ErrorReply("ERR " + command + " command not allowed. If the " + option
                + " option is set to \"local\", you can run it from a local connection, otherwise you need to set"
                + " this option in the configuration file, and then restart the server.");
    }

    /**
     * Redis: {@code ERR unknown command 'foo', with args beginning with: 'a' 'b' }, byte for byte
     * as Redis formats it: the name as {@code %.128s}, then arguments as {@code '%.*s' } while the
     * argument text is under 128 bytes, each cut to what is left of the 128; {@code %s} stops at a
     * NUL byte; other bytes are echoed as they are (not decoded), and CR/LF become spaces.
     */
    public static byte[] unknownCommand(CommandArgs args) {
        ErrorText t = new ErrorText("ERR unknown command '");
        t.cString(args, 0, 128);
        t.ascii("', with args beginning with: ");
        int argsStart = t.length();
        for (int i = 1; i < args.count() && t.length() - argsStart < 128; i++) {
            t.ascii("'");
            t.cString(args, i, 128 - (t.length() - argsStart - 1));
            t.ascii("' ");
        }
        return t.bytes();
    }

    /** addReplySubcommandSyntaxError: {@code ERR unknown subcommand or wrong number of arguments for 'x'. Try DEBUG HELP.} */
    public static byte[] unknownSubcommandOrArity(CommandArgs args, int i, String command) {
        ErrorText t = new ErrorText("ERR unknown subcommand or wrong number of arguments for '");
        t.cString(args, i, 128);
        t.ascii("'. Try " + command.toUpperCase(java.util.Locale.ROOT) + " HELP.");
        return t.bytes();
    }

    /** Redis: {@code ERR unknown subcommand 'x'. Try CONFIG HELP.} */
    public static byte[] unknownSubcommand(CommandArgs args, int i, String command) {
        ErrorText t = new ErrorText("ERR unknown subcommand '");
        t.cString(args, i, 128);
        t.ascii("'. Try " + command.toUpperCase(java.util.Locale.ROOT) + " HELP.");
        return t.bytes();
    }

    /** An error text built from raw bytes, as Redis's addReplyErrorFormat builds it. */
    private static final class ErrorText {
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(96);

        ErrorText(String start) {
            ascii(start);
        }

        void ascii(String s) {
            out.writeBytes(s.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }

        /** Argument {@code i} as printf's {@code %.*s}: at most {@code max} bytes, up to a NUL; CR and LF as spaces. */
        void cString(CommandArgs args, int i, int max) {
            int n = Math.min(args.length(i), Math.max(0, max));
            for (int k = 0; k < n; k++) {
                byte b = args.byteAt(i, k);
                if (b == 0) {
                    break;
                }
                out.write(b == '\r' || b == '\n' ? ' ' : b);
            }
        }

        int length() {
            return out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
