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

    /** Redis: {@code ERR unknown command 'foo', with args beginning with: 'a' 'b' }. */
    public static String unknownCommand(CommandArgs args) {
        StringBuilder sb = new StringBuilder("ERR unknown command '");
        appendSanitized(sb, args.string(0), 128);
        sb.append("', with args beginning with: ");
        for (int i = 1; i < args.count() && sb.length() < 128; i++) {
            sb.append('\'');
            appendSanitized(sb, args.string(i), 128 - sb.length());
            sb.append("' ");
        }
        return sb.toString();
    }

    /** addReplySubcommandSyntaxError: {@code ERR unknown subcommand or wrong number of arguments for 'x'. Try DEBUG HELP.} */
    public static String unknownSubcommandOrArity(String subcommand, String command) {
        StringBuilder sb = new StringBuilder("ERR unknown subcommand or wrong number of arguments for '");
        appendSanitized(sb, subcommand, 128);
        sb.append("'. Try ").append(command.toUpperCase(java.util.Locale.ROOT)).append(" HELP.");
        return sb.toString();
    }

    /** Redis: {@code ERR unknown subcommand 'x'. Try CONFIG HELP.} */
    public static String unknownSubcommand(String subcommand, String command) {
        StringBuilder sb = new StringBuilder("ERR unknown subcommand '");
        appendSanitized(sb, subcommand, 128);
        sb.append("'. Try ").append(command.toUpperCase(java.util.Locale.ROOT)).append(" HELP.");
        return sb.toString();
    }

    /** Redis replaces newlines in echoed user input with spaces so the error stays one line. */
    private static void appendSanitized(StringBuilder sb, String s, int max) {
        int n = Math.min(s.length(), Math.max(0, max));
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            sb.append(c == '\r' || c == '\n' ? ' ' : c);
        }
    }
}
