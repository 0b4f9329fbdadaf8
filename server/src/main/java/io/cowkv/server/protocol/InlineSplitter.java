package io.cowkv.server.protocol;

/**
 * Splits an inline request line into arguments with the rules of Redis's {@code sdssplitargs}:
 * words separated by spaces; "double quoted" words with \n \r \t \b \a \\ \" and \xHH escapes;
 * 'single quoted' words with \' ; a closing quote must be followed by a space or the end.
 */
final class InlineSplitter {
    private InlineSplitter() {
    }

    /** Appends the words of {@code line} to {@code out}; returns false on unbalanced quotes. */
    static boolean split(byte[] line, CommandArgs out) {
        int p = 0;
        int n = line.length;
        byte[] word = new byte[n];
        while (true) {
            while (p < n && isSpace(line[p])) {
                p++;
            }
            if (p >= n) {
                return true;
            }
            int w = 0;
            boolean inDq = false;
            boolean inSq = false;
            boolean done = false;
            while (!done) {
                if (inDq) {
                    if (p >= n) {
                        return false;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 3 < n && line[p + 1] == 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        word[w++] = (byte) (hex(line[p + 2]) * 16 + hex(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < n) {
                        p++;
                        byte e = line[p];
                        switch (e) {
                            case 'n': word[w++] = '\n'; break;
                            case 'r': word[w++] = '\r'; break;
                            case 't': word[w++] = '\t'; break;
                            case 'b': word[w++] = '\b'; break;
                            case 'a': word[w++] = 7; break;
                            default: word[w++] = e; break;
                        }
                    } else if (c == '"') {
                        if (p + 1 < n && !isSpace(line[p + 1])) {
                            return false;
                        }
                        done = true;
                    } else {
                        word[w++] = c;
                    }
                } else if (inSq) {
                    if (p >= n) {
                        return false;
                    }
                    byte c = line[p];
                    if (c == '\\' && p + 1 < n && line[p + 1] == '\'') {
                        p++;
                        word[w++] = '\'';
                    } else if (c == '\'') {
                        if (p + 1 < n && !isSpace(line[p + 1])) {
                            return false;
                        }
                        done = true;
                    } else {
                        word[w++] = c;
                    }
                } else {
                    if (p >= n) {
                        done = true;
                        break;
                    }
                    byte c = line[p];
                    switch (c) {
                        case ' ': case '\n': case '\r': case '\t': case 0:
                            done = true;
                            break;
                        case '"':
                            inDq = true;
                            break;
                        case '\'':
                            inSq = true;
                            break;
                        default:
                            word[w++] = c;
                            break;
                    }
                }
                if (p < n) {
                    p++;
                }
            }
            out.add(word, 0, w);
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        if (c <= '9') {
            return c - '0';
        }
        return (c | 0x20) - 'a' + 10;
    }
}
