package io.cowkv.server.command.string;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.keyspace.Entry;
import io.cowkv.server.keyspace.ValueType;
import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.Errors;
import io.cowkv.server.protocol.Reply;

import java.util.ArrayList;
import java.util.List;

import static io.cowkv.server.command.CommandSpec.command;

/**
 * LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]: the longest common subsequence by
 * dynamic programming, with Redis 7.0's back-tracking and range reporting reproduced step by step
 * so IDX replies match byte for byte. The DP table is bounded by proto-max-bulk-len, as in Redis.
 */
public final class LcsCommand {
    private final ServerContext server;
    private final long[] num = new long[1];

    public LcsCommand(ServerContext server) {
        this.server = server;
    }

    public void register(CommandRegistry r) {
        r.register(command("lcs", -3).flags("readonly").keys(1, 2, 1).handler(this::lcs).build());
    }

    private byte[] value(Session s, CommandArgs a, int i, boolean[] wrong) {
        Entry e = server.keyspace.db(s.db).lookupRead(a.data(), a.offset(i), a.length(i));
        if (e == null) {
            return new byte[0];
        }
        if (e.type() != ValueType.STRING) {
            wrong[0] = true;
            return null;
        }
        return e.stringBytes();
    }

    private void lcs(Session s, CommandArgs a) {
        Reply r = s.reply();
        boolean[] wrong = new boolean[1];
        byte[] va = value(s, a, 1, wrong);
        byte[] vb = wrong[0] ? null : value(s, a, 2, wrong);
        if (wrong[0]) {
            r.error("ERR The specified keys must contain string values");
            return;
        }
        boolean getLen = false;
        boolean getIdx = false;
        boolean withMatchLen = false;
        long minMatchLen = 0;
        for (int i = 3; i < a.count(); i++) {
            boolean more = i + 1 < a.count();
            if (a.is(i, "idx")) {
                getIdx = true;
            } else if (a.is(i, "len")) {
                getLen = true;
            } else if (a.is(i, "withmatchlen")) {
                withMatchLen = true;
            } else if (a.is(i, "minmatchlen") && more) {
                if (!a.parseLong(i + 1, num)) {
                    r.error(Errors.NOT_INTEGER);
                    return;
                }
                minMatchLen = Math.max(0, num[0]);
                i++;
            } else {
                r.error(Errors.SYNTAX);
                return;
            }
        }
        if (getLen && getIdx) {
            r.error("ERR If you want both the length and indexes, please just use IDX.");
            return;
        }
        int alen = va.length;
        int blen = vb.length;
        long cells = (long) (alen + 1) * (blen + 1);
        if (cells * 4 > server.config.protoMaxBulkLen() || cells > Integer.MAX_VALUE - 16) {
            r.error("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
            return;
        }
        int w = blen + 1;
        int[] dp = new int[(int) cells];
        for (int i = 1; i <= alen; i++) {
            for (int j = 1; j <= blen; j++) {
                if (va[i - 1] == vb[j - 1]) {
                    dp[i * w + j] = dp[(i - 1) * w + j - 1] + 1;
                } else {
                    dp[i * w + j] = Math.max(dp[(i - 1) * w + j], dp[i * w + j - 1]);
                }
            }
        }
        int total = dp[alen * w + blen];
        int idx = total;
        boolean computeLcs = getIdx || !getLen;
        byte[] result = new byte[total];
        List<long[]> ranges = new ArrayList<>();
        int aStart = alen;
        int aEnd = 0;
        int bStart = 0;
        int bEnd = 0;
        int i = alen;
        int j = blen;
        while (computeLcs && i > 0 && j > 0) {
            boolean emit = false;
            if (va[i - 1] == vb[j - 1]) {
                result[idx - 1] = va[i - 1];
                if (aStart == alen) {
                    aStart = i - 1;
                    aEnd = i - 1;
                    bStart = j - 1;
                    bEnd = j - 1;
                } else if (aStart == i && bStart == j) {
                    aStart--;
                    bStart--;
                } else {
                    emit = true;
                }
                if (aStart == 0 || bStart == 0) {
                    emit = true;
                }
                idx--;
                i--;
                j--;
            } else {
                int l1 = dp[(i - 1) * w + j];
                int l2 = dp[i * w + j - 1];
                if (l1 > l2) {
                    i--;
                } else {
                    j--;
                }
                if (aStart != alen) {
                    emit = true;
                }
            }
            long matchLen = (long) aEnd - aStart + 1;
            if (emit) {
                if (minMatchLen == 0 || matchLen >= minMatchLen) {
                    ranges.add(new long[]{aStart, aEnd, bStart, bEnd, matchLen});
                }
                aStart = alen;
            }
        }
        if (getIdx) {
            r.map(2);
            r.bulk("matches");
            r.array(ranges.size());
            for (long[] m : ranges) {
                r.array(withMatchLen ? 3 : 2);
                r.array(2);
                r.integer(m[0]);
                r.integer(m[1]);
                r.array(2);
                r.integer(m[2]);
                r.integer(m[3]);
                if (withMatchLen) {
                    r.integer(m[4]);
                }
            }
            r.bulk("len");
            r.integer(total);
        } else if (getLen) {
            r.integer(total);
        } else {
            r.bulk(result);
        }
    }
}
