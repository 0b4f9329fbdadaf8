package io.cowkv.server.command;

import io.cowkv.server.protocol.CommandArgs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the keys of a command line and their access flags as Redis 7.0 does for COMMAND GETKEYS
 * and GETKEYSANDFLAGS (db.c getKeysFromCommandWithSpecs): from the command's key specs, unless a
 * spec says its flags vary with the arguments ({@code variable_flags}), in which case the
 * command's own key function decides (Redis's getkeys_proc; among CowKV's commands only SET has
 * one). Not on the hot path: dispatch uses the registration's first/last/step.
 */
public final class CommandKeys {
    /** A key found: its argument index (0 is the command name) and its flags in Redis's order. */
    public record Key(int pos, List<String> flags) {
    }

    /** A command's own key function: the keys of {@code argc} arguments starting at {@code a[base]}. */
    private interface KeyFunction {
        List<Key> keys(CommandArgs a, int base, int argc);
    }

    private static final Map<String, KeyFunction> KEY_FUNCTIONS = Map.of("set", CommandKeys::setKeys);

    private CommandKeys() {
    }

    /** Redis's doesCommandHaveKeys: a key function, or a key spec that is not {@code not_key}. */
    public static boolean hasKeys(String fullName, CommandMetadata.Entry meta) {
        if (KEY_FUNCTIONS.containsKey(fullName)) {
            return true;
        }
        for (KeySpec k : meta.keySpecs()) {
            if (!k.notKey) {
                return true;
            }
        }
        return false;
    }

    /** True when the keys of {@code fullName} need its own key function (some spec has variable_flags). */
    public static boolean needsKeyFunction(CommandMetadata.Entry meta) {
        return meta.keySpecs().stream().anyMatch(k -> k.variableFlags);
    }

    /** True when CowKV has the key function Redis uses for {@code fullName}. */
    public static boolean hasKeyFunction(String fullName) {
        return KEY_FUNCTIONS.containsKey(fullName);
    }

    /**
     * The keys of the command whose {@code argc} arguments (name included) start at {@code a[base]};
     * empty when none can be found (Redis then answers "Invalid arguments specified").
     */
    public static List<Key> find(String fullName, CommandMetadata.Entry meta, int arity, CommandArgs a, int base, int argc) {
        boolean hasKeySpec = false;
        boolean variableFlags = false;
        for (KeySpec k : meta.keySpecs()) {
            hasKeySpec |= !k.notKey;
            variableFlags |= k.variableFlags;
        }
        if (hasKeySpec && !variableFlags) {
            List<Key> keys = usingKeySpecs(meta.keySpecs(), arity, a, base, argc);
            if (keys != null) {
                return keys;
            }
        }
        KeyFunction f = KEY_FUNCTIONS.get(fullName);
        return f == null ? List.of() : f.keys(a, base, argc);
    }

    /** Redis's getKeysUsingKeySpecs; null when a spec does not fit the arguments. */
    private static List<Key> usingKeySpecs(List<KeySpec> specs, int arity, CommandArgs a, int base, int argc) {
        List<Key> out = new ArrayList<>();
        long[] num = new long[1];
        for (KeySpec spec : specs) {
            if (spec.notKey) {
                continue;
            }
            int first = 0;
            if (spec.beginType.equals("index")) {
                first = spec.index;
            } else if (spec.beginType.equals("keyword")) {
                int start = spec.startFrom > 0 ? spec.startFrom : argc + spec.startFrom;
                int end = spec.startFrom > 0 ? argc - 1 : 1;
                // As Redis: the scan stops before 'end' (so with startfrom > 0 never looks at the last argument).
                for (int i = start; i != end; i = start <= end ? i + 1 : i - 1) {
                    if (i >= argc || i < 1) {
                        break;
                    }
                    if (a.string(base + i).equalsIgnoreCase(spec.keyword)) {
                        first = i + 1;
                        break;
                    }
                }
                if (first == 0) {
                    continue;
                }
            } else {
                return null;
            }
            int last;
            int step;
            if (spec.findType.equals("range")) {
                step = spec.keyStep;
                if (spec.lastKey >= 0) {
                    last = first + spec.lastKey;
                } else if (spec.limit == 0) {
                    last = argc + spec.lastKey;
                } else {
                    last = first + ((argc - first) / spec.limit + spec.lastKey);
                }
            } else if (spec.findType.equals("keynum")) {
                step = spec.keyStep;
                int idx = first + spec.keyNumIdx;
                if (idx >= argc || !a.parseLong(base + idx, num) || num[0] < 0) {
                    return null;
                }
                first += spec.firstKey;
                last = first + (int) num[0] - 1;
            } else {
                return null;
            }
            if (last >= argc || last < first || first >= argc) {
                return null;
            }
            for (int i = first; i <= last; i += step) {
                if (i >= argc || i < first) {
                    if (arity < 0) {
                        continue; // variadic: the command itself reports the bad arguments
                    }
                    throw new IllegalStateException("key positions do not match the arity");
                }
                out.add(new Key(i, spec.flags));
            }
            if (spec.incomplete) {
                return null;
            }
        }
        return out;
    }

    private static final List<String> SET_WITH_GET = List.of("RW", "access", "update");
    private static final List<String> SET_PLAIN = List.of("OW", "update");

    /** Redis's setGetKeys: the key is read too when GET is among the options. */
    private static List<Key> setKeys(CommandArgs a, int base, int argc) {
        for (int i = 3; i < argc; i++) {
            if (a.is(base + i, "get")) {
                return List.of(new Key(1, SET_WITH_GET));
            }
        }
        return List.of(new Key(1, SET_PLAIN));
    }
}
