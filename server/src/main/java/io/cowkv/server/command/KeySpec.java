package io.cowkv.server.command;

import java.util.List;

/**
 * One key specification of a command, as COMMAND INFO shows it (Redis 7's key specs): where
 * the search for keys begins (an index, or after a keyword) and how keys are found from there
 * (a range, or a count argument), with the access flags of the keys it finds.
 */
public final class KeySpec {
    /** Key flags in Redis's order (RO RW OW RM access update insert delete not_key incomplete variable_flags). */
    public final List<String> flags;
    final boolean notKey;
    final boolean incomplete;
    final boolean variableFlags;
    /** begin_search: "index" (at {@link #index}), "keyword" ({@link #keyword} from {@link #startFrom}), else unknown. */
    final String beginType;
    final int index;
    final String keyword;
    final int startFrom;
    /** find_keys: "range" (lastkey, keystep, limit) or "keynum" (keynumidx, firstkey, keystep), else unknown. */
    final String findType;
    final int lastKey;
    final int keyStep;
    final int limit;
    final int keyNumIdx;
    final int firstKey;

    private KeySpec(RespTree spec) {
        flags = List.copyOf(spec.field("flags").texts());
        notKey = flags.contains("not_key");
        incomplete = flags.contains("incomplete");
        variableFlags = flags.contains("variable_flags");
        RespTree begin = spec.field("begin_search");
        beginType = begin.field("type").text();
        RespTree bs = begin.field("spec");
        index = intField(bs, "index");
        keyword = bs != null && bs.field("keyword") != null ? bs.field("keyword").text() : null;
        startFrom = intField(bs, "startfrom");
        RespTree find = spec.field("find_keys");
        findType = find.field("type").text();
        RespTree fk = find.field("spec");
        lastKey = intField(fk, "lastkey");
        keyStep = intField(fk, "keystep");
        limit = intField(fk, "limit");
        keyNumIdx = intField(fk, "keynumidx");
        firstKey = intField(fk, "firstkey");
    }

    static KeySpec of(RespTree spec) {
        return new KeySpec(spec);
    }

    private static int intField(RespTree map, String key) {
        RespTree v = map == null || map.type != '%' ? null : map.field(key);
        return v == null ? 0 : (int) v.number;
    }
}
