package io.cowkv.server.command.server;

/**
 * Redis's {@code stringmatchlen}: glob patterns with {@code * ? [abc] [^a] [a-z]} and {@code \} escapes.
 */
public final class Glob {
    private Glob() {
    }

    public static boolean matches(String pattern, String s, boolean nocase) {
        return match(pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0,
                s.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, nocase, 0);
    }

    public static boolean matches(byte[] p, byte[] s, boolean nocase) {
        return match(p, 0, s, 0, nocase, 0);
    }

    private static boolean match(byte[] p, int pi, byte[] s, int si, boolean nocase, int depth) {
        if (depth > 1000) {
            return false; // Redis also caps recursion on hostile patterns
        }
        int plen = p.length;
        int slen = s.length;
        while (pi < plen && si < slen) {
            switch (p[pi]) {
                case '*': {
                    while (pi + 1 < plen && p[pi + 1] == '*') {
                        pi++;
                    }
                    if (pi + 1 == plen) {
                        return true;
                    }
                    for (int k = si; k < slen; k++) {
                        if (match(p, pi + 1, s, k, nocase, depth + 1)) {
                            return true;
                        }
                    }
                    return false;
                }
                case '?':
                    si++;
                    break;
                case '[': {
                    pi++;
                    boolean not = pi < plen && p[pi] == '^';
                    if (not) {
                        pi++;
                    }
                    boolean found = false;
                    while (true) {
                        if (pi >= plen) {
                            pi--;
                            break;
                        }
                        if (p[pi] == '\\' && pi + 1 < plen) {
                            pi++;
                            if (p[pi] == s[si]) {
                                found = true;
                            }
                        } else if (p[pi] == ']') {
                            break;
                        } else if (pi + 2 < plen && p[pi + 1] == '-') {
                            int start = p[pi] & 0xff;
                            int end = p[pi + 2] & 0xff;
                            int c = s[si] & 0xff;
                            if (start > end) {
                                int t = start;
                                start = end;
                                end = t;
                            }
                            if (nocase) {
                                start = Character.toLowerCase(start);
                                end = Character.toLowerCase(end);
                                c = Character.toLowerCase(c);
                            }
                            pi += 2;
                            if (c >= start && c <= end) {
                                found = true;
                            }
                        } else if (eq(p[pi], s[si], nocase)) {
                            found = true;
                        }
                        pi++;
                    }
                    if (not) {
                        found = !found;
                    }
                    if (!found) {
                        return false;
                    }
                    si++;
                    break;
                }
                case '\\':
                    if (pi + 1 < plen) {
                        pi++;
                    }
                    // fall through
                default:
                    if (!eq(p[pi], s[si], nocase)) {
                        return false;
                    }
                    si++;
                    break;
            }
            pi++;
            if (si == slen) {
                while (pi < plen && p[pi] == '*') {
                    pi++;
                }
                break;
            }
        }
        return pi == plen && si == slen;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        if (a == b) {
            return true;
        }
        return nocase && Character.toLowerCase(a & 0xff) == Character.toLowerCase(b & 0xff);
    }
}
