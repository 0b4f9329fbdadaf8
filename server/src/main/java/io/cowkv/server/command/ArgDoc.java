package io.cowkv.server.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One argument of a command as COMMAND DOCS describes it (name, type, token, optional,
 * multiple, nested arguments for oneof/block). Built from a compact syntax so each command's
 * table row stays one line:
 * <pre>
 *   key:key value:string [NX|XX] [GET] [EX seconds:integer|PX milliseconds:integer|KEEPTTL]
 *   key:key ...          (one or more)        [pattern:pattern]   (optional)
 *   (a|b c:integer)      (required one-of; an alternative of several words is a block)
 * </pre>
 * A word in capitals is a token; followed by {@code name:type} it is that argument's token,
 * alone it is a pure-token argument.
 */
public final class ArgDoc {
    public final String name;
    public final String type;
    public final String token;
    public final boolean optional;
    public final boolean multiple;
    public final List<ArgDoc> children;

    ArgDoc(String name, String type, String token, boolean optional, boolean multiple, List<ArgDoc> children) {
        this.name = name;
        this.type = type;
        this.token = token;
        this.optional = optional;
        this.multiple = multiple;
        this.children = children;
    }

    ArgDoc with(boolean opt, boolean mult) {
        return new ArgDoc(name, type, token, opt || optional, mult || multiple, children);
    }

    /** Parses the compact syntax above; throws IllegalArgumentException on a malformed spec. */
    public static List<ArgDoc> parse(String spec) {
        Parser p = new Parser(spec.trim());
        List<ArgDoc> out = p.sequence();
        if (p.pos < p.s.length()) {
            throw new IllegalArgumentException("unexpected '" + p.s.charAt(p.pos) + "' in " + spec);
        }
        return out;
    }

    private static final class Parser {
        final String s;
        int pos;
        int blockCount;

        Parser(String s) {
            this.s = s;
        }

        List<ArgDoc> sequence() {
            List<ArgDoc> out = new ArrayList<>();
            String pendingToken = null;
            while (true) {
                skipSpaces();
                if (pos >= s.length() || s.charAt(pos) == ']' || s.charAt(pos) == ')' || s.charAt(pos) == '|') {
                    break;
                }
                char c = s.charAt(pos);
                ArgDoc item;
                if (c == '[' || c == '(') {
                    pos++;
                    item = group(c == '[' ? ']' : ')', c == '[');
                } else {
                    String word = word();
                    int colon = word.lastIndexOf(':'); // the type follows the last colon ("ip:port:string")
                    if (colon < 0) {
                        if (word.equals("...")) {
                            ArgDoc last = out.remove(out.size() - 1);
                            out.add(last.with(false, true));
                            continue;
                        }
                        // A token: attaches to the next name:type if one follows directly.
                        int save = pos;
                        skipSpaces();
                        if (pos < s.length() && s.charAt(pos) != '[' && s.charAt(pos) != '(' && s.charAt(pos) != '|'
                                && s.charAt(pos) != ']' && s.charAt(pos) != ')') {
                            int save2 = pos;
                            String next = word();
                            if (next.indexOf(':') > 0) {
                                pos = save2;
                                pendingToken = word;
                                continue;
                            }
                            pos = save2;
                        }
                        pos = save;
                        item = new ArgDoc(word.toLowerCase(Locale.ROOT), "pure-token", word, false, false, List.of());
                    } else {
                        String name = word.substring(0, colon);
                        String type = word.substring(colon + 1);
                        item = new ArgDoc(name, type, pendingToken, false, false, List.of());
                        pendingToken = null;
                    }
                }
                skipSpaces();
                if (s.startsWith("...", pos)) {
                    pos += 3;
                    item = item.with(false, true);
                }
                out.add(item);
            }
            return out;
        }

        ArgDoc group(char close, boolean optional) {
            List<List<ArgDoc>> alternatives = new ArrayList<>();
            while (true) {
                alternatives.add(sequence());
                skipSpaces();
                if (pos >= s.length()) {
                    throw new IllegalArgumentException("unclosed group in " + s);
                }
                char c = s.charAt(pos++);
                if (c == close) {
                    break;
                }
                if (c != '|') {
                    throw new IllegalArgumentException("bad group in " + s);
                }
            }
            if (alternatives.size() == 1) {
                List<ArgDoc> only = alternatives.get(0);
                if (only.size() == 1) {
                    return only.get(0).with(optional, false);
                }
                return new ArgDoc(blockName(only), "block", null, optional, false, only);
            }
            List<ArgDoc> options = new ArrayList<>();
            for (List<ArgDoc> alt : alternatives) {
                options.add(alt.size() == 1 ? alt.get(0) : new ArgDoc(blockName(alt), "block", null, false, false, alt));
            }
            return new ArgDoc(oneofName(options), "oneof", null, optional, false, options);
        }

        String blockName(List<ArgDoc> items) {
            return items.get(0).name.replace('-', '_').isEmpty() ? "block" + (++blockCount) : items.get(0).name;
        }

        String oneofName(List<ArgDoc> options) {
            StringBuilder sb = new StringBuilder();
            for (ArgDoc o : options) {
                if (sb.length() > 0) {
                    sb.append('-');
                }
                sb.append(o.name);
            }
            return sb.length() > 40 ? "option" : sb.toString();
        }

        String word() {
            int start = pos;
            while (pos < s.length() && " []()|".indexOf(s.charAt(pos)) < 0) {
                if (s.startsWith("...", pos) && pos > start) {
                    break;
                }
                pos++;
            }
            return s.substring(start, pos);
        }

        void skipSpaces() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }
    }
}
