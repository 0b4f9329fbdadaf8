package io.cowkv.server.command;

import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.ErrorReply;
import io.cowkv.server.protocol.Errors;

/**
 * Redis's getIntFromObjectOrReply: an argument that must be a 32-bit signed integer. Not a
 * 64-bit integer gives "value is not an integer or out of range"; a 64-bit integer outside the
 * int range gives "value is out of range, value must between -2147483648 and 2147483647".
 */
public final class IntArg {
    public static final ErrorReply INT_RANGE =
            new ErrorReply("ERR value is out of range, value must between -2147483648 and 2147483647");

    private IntArg() {
    }

    /**
     * Parses argument {@code i} into {@code out[0]}; on failure replies with Redis's error and
     * returns false. Runs on the keyspace thread (it writes to the session's reply).
     */
    public static boolean parse(Session s, CommandArgs a, int i, long[] out) {
        if (!a.parseLong(i, out)) {
            s.reply().error(Errors.NOT_INTEGER);
            return false;
        }
        if (out[0] < Integer.MIN_VALUE || out[0] > Integer.MAX_VALUE) {
            s.reply().error(INT_RANGE);
            return false;
        }
        return true;
    }
}
