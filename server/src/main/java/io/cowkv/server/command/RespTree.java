package io.cowkv.server.command;

import io.cowkv.server.protocol.Reply;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A RESP3 value kept as data (arrays, maps, sets, bulk and simple strings, integers), read from
 * the text form of the command metadata resources and written back through {@link Reply}, which
 * downgrades maps and sets for RESP2 exactly as Redis does. Immutable after parsing.
 *
 * <p>Text form: whitespace (and {@code #} comments from a token's start to the end of the line)
 * separates tokens; {@code *N}, {@code %N} (N pairs), {@code ~N} open an aggregate of the next
 * N (2N) values, {@code :N} is an integer, {@code +word} a simple string, {@code "..."} a bulk
 * string with {@code \\ \" \xHH} escapes.
 */
public final class RespTree {
    public final char type;
    public final long number;
    private final byte[] text;
    private final RespTree[] children;

    private RespTree(char type, long number, byte[] text, RespTree[] children) {
        this.type = type;
        this.number = number;
        this.text = text;
        this.children = children;
    }

    /** Elements of an array or set; keys and values alternating for a map. */
    public int size() {
        return children.length;
    }

    public RespTree child(int i) {
        return children[i];
    }

    public String text() {
        return new String(text, StandardCharsets.UTF_8);
    }

    /** The value of map field {@code key}, or null. */
    public RespTree field(String key) {
        for (int i = 0; i + 1 < children.length; i += 2) {
            if (children[i].text().equals(key)) {
                return children[i + 1];
            }
        }
        return null;
    }

    /** The texts of a set or array of strings. */
    public List<String> texts() {
        List<String> out = new ArrayList<>(children.length);
        for (RespTree c : children) {
            out.add(c.text());
        }
        return out;
    }

    /** Writes this value (RESP2 or RESP3, as the reply speaks). */
    public void write(Reply r) {
        switch (type) {
            case ':' -> r.integer(number);
            case '+' -> r.simple(text());
            case '$' -> r.bulk(text);
            default -> {
                header(r, type == '%' ? children.length / 2 : children.length);
                writeChildren(r, 0, children.length);
            }
        }
    }

    /** Writes an aggregate header of this value's type for {@code n} elements (pairs for a map). */
    public void header(Reply r, int n) {
        switch (type) {
            case '*' -> r.array(n);
            case '%' -> r.map(n);
            case '~' -> r.set(n);
            default -> throw new IllegalStateException("not an aggregate: " + type);
        }
    }

    /** Writes children {@code [from, to)} (for a map: keys and values, so both even). */
    public void writeChildren(Reply r, int from, int to) {
        for (int i = from; i < to; i++) {
            children[i].write(r);
        }
    }

    /** A reader of the text form. */
    public static final class Parser {
        private final String s;
        private int pos;

        public Parser(String s) {
            this.s = s;
        }

        /** True when only whitespace and comments are left. */
        public boolean atEnd() {
            skip();
            return pos >= s.length();
        }

        /** The next bare word (such as a record keyword or a command name). */
        public String word() {
            skip();
            int start = pos;
            while (pos < s.length() && !Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("a word expected");
            }
            return s.substring(start, pos);
        }

        public RespTree value() {
            skip();
            if (pos >= s.length()) {
                throw error("a value expected");
            }
            char t = s.charAt(pos);
            if (t == '"') {
                return new RespTree('$', 0, quoted(), null);
            }
            String w = word().substring(1);
            switch (t) {
                case '*', '%', '~' -> {
                    int n = Integer.parseInt(w) * (t == '%' ? 2 : 1);
                    RespTree[] c = new RespTree[n];
                    for (int i = 0; i < n; i++) {
                        c[i] = value();
                    }
                    return new RespTree(t, 0, null, c);
                }
                case ':' -> {
                    return new RespTree(':', Long.parseLong(w), null, null);
                }
                case '+' -> {
                    return new RespTree('+', 0, w.getBytes(StandardCharsets.UTF_8), null);
                }
                default -> throw error("unknown value type '" + t + "'");
            }
        }

        private byte[] quoted() {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            pos++;
            while (true) {
                if (pos >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(pos++);
                if (c == '"') {
                    return b.toByteArray();
                }
                if (c == '\\') {
                    char e = s.charAt(pos++);
                    if (e == 'x') {
                        b.write(Integer.parseInt(s.substring(pos, pos + 2), 16));
                        pos += 2;
                    } else {
                        b.write(e);
                    }
                } else {
                    b.write(c); // the files are ASCII; other bytes are \xHH
                }
            }
        }

        private void skip() {
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '#') {
                    while (pos < s.length() && s.charAt(pos) != '\n') {
                        pos++;
                    }
                } else if (Character.isWhitespace(c)) {
                    pos++;
                } else {
                    return;
                }
            }
        }

        private IllegalArgumentException error(String what) {
            int line = 1;
            for (int i = 0; i < pos && i < s.length(); i++) {
                if (s.charAt(i) == '\n') {
                    line++;
                }
            }
            return new IllegalArgumentException(what + " at line " + line);
        }
    }
}
