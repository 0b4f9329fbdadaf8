package io.cowkv.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A differential script: one command per line in redis-cli inline syntax, {@code #} comment
 * lines, and directives ({@code !name} lines) that change how the next command's reply is
 * compared. See {@code src/test/resources/differential/README.md}.
 */
final class DiffScript {

    /** How a command's two replies are compared. */
    enum Mode {
        /** Byte for byte (the default). */
        EXACT,
        /** Both replies are read completely; their content is inherently different. */
        SKIP_COMPARE,
        /** Only the RESP type byte must match. */
        TYPE,
        /** Aggregate replies compared ignoring element order (a map's entries stay paired). */
        SORTED,
        /**
         * As SORTED at every nesting level (each aggregate's elements, a map's entries kept paired):
         * for replies that nest lists in Redis's hash-table order, such as a container's
         * subcommands in COMMAND INFO/DOCS.
         */
        SORTED_DEEP,
        /** The command sends no reply (CLIENT REPLY OFF/SKIP); nothing is read. */
        NOREPLY,
        /**
         * A SCAN-family command iterated to completion on each server (the cursor argument is
         * replaced by each returned cursor until "0"); the sets of all elements returned are
         * compared. See {@link ScanAll}.
         */
        SCAN_ALL;

        static Mode ofDirective(String d) {
            return switch (d.toLowerCase(Locale.ROOT)) {
                case "!skip-compare" -> SKIP_COMPARE;
                case "!type" -> TYPE;
                case "!sorted" -> SORTED;
                case "!sorted-deep" -> SORTED_DEEP;
                case "!noreply" -> NOREPLY;
                case "!scan-all" -> SCAN_ALL;
                default -> null;
            };
        }
    }

    /**
     * One command line. {@code error} is set instead of {@code args} when the line or its
     * directive cannot be parsed, so the test for that line fails with the reason.
     */
    record Step(int lineNo, String text, List<byte[]> args, Mode mode, String error) {
    }

    final String name;
    final List<Step> steps;

    private DiffScript(String name, List<Step> steps) {
        this.name = name;
        this.steps = steps;
    }

    static DiffScript load(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return parse(file.getFileName().toString(), lines);
    }

    static DiffScript parse(String name, List<String> lines) {
        List<Step> steps = new ArrayList<>();
        Mode pending = null;
        int pendingLine = 0;
        String pendingError = null;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("!")) {
                Mode m = Mode.ofDirective(line);
                if (m == null) {
                    pendingError = "unknown directive '" + line + "' on line " + lineNo;
                } else if (pending != null) {
                    pendingError = "two directives for one command (lines " + pendingLine + " and " + lineNo + ")";
                }
                pending = m;
                pendingLine = lineNo;
                continue;
            }
            String error = pendingError;
            List<byte[]> args = null;
            if (error == null) {
                try {
                    args = splitArgs(line);
                    if (args.isEmpty()) {
                        error = "no command";
                    }
                } catch (IllegalArgumentException e) {
                    error = e.getMessage();
                }
            }
            steps.add(new Step(lineNo, line, args, pending == null ? Mode.EXACT : pending, error));
            pending = null;
            pendingError = null;
        }
        if (pending != null || pendingError != null) {
            steps.add(new Step(pendingLine, "<end of script>", null, Mode.EXACT,
                    pendingError != null ? pendingError : "directive on line " + pendingLine + " has no command after it"));
        }
        return new DiffScript(name, steps);
    }

    /**
     * Splits a line as redis-cli does (sdssplitargs): whitespace separates arguments;
     * {@code "..."} understands \n \r \t \b \a \\ \" and \xHH; {@code '...'} understands \';
     * a closing quote must be followed by whitespace or the end of the line.
     *
     * @throws IllegalArgumentException for unbalanced quotes
     */
    static List<byte[]> splitArgs(String line) {
        byte[] p = line.getBytes(StandardCharsets.UTF_8);
        List<byte[]> out = new ArrayList<>();
        int i = 0;
        int n = p.length;
        while (true) {
            while (i < n && isSpace(p[i])) {
                i++;
            }
            if (i >= n) {
                return out;
            }
            ByteArrayOutputStream cur = new ByteArrayOutputStream();
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            while (!done) {
                if (inq) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unbalanced quotes");
                    }
                    if (p[i] == '\\' && i + 3 < n && p[i + 1] == 'x' && isHex(p[i + 2]) && isHex(p[i + 3])) {
                        cur.write(Character.digit(p[i + 2], 16) * 16 + Character.digit(p[i + 3], 16));
                        i += 3;
                    } else if (p[i] == '\\' && i + 1 < n) {
                        i++;
                        byte c = p[i];
                        cur.write(switch (c) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> c;
                        });
                    } else if (p[i] == '"') {
                        if (i + 1 < n && !isSpace(p[i + 1])) {
                            throw new IllegalArgumentException("closing quote must be followed by a space");
                        }
                        done = true;
                    } else {
                        cur.write(p[i]);
                    }
                } else if (insq) {
                    if (i >= n) {
                        throw new IllegalArgumentException("unbalanced quotes");
                    }
                    if (p[i] == '\\' && i + 1 < n && p[i + 1] == '\'') {
                        i++;
                        cur.write('\'');
                    } else if (p[i] == '\'') {
                        if (i + 1 < n && !isSpace(p[i + 1])) {
                            throw new IllegalArgumentException("closing quote must be followed by a space");
                        }
                        done = true;
                    } else {
                        cur.write(p[i]);
                    }
                } else {
                    if (i >= n || isSpace(p[i])) {
                        done = true;
                    } else if (p[i] == '"') {
                        inq = true;
                    } else if (p[i] == '\'') {
                        insq = true;
                    } else {
                        cur.write(p[i]);
                    }
                }
                if (i < n) {
                    i++;
                }
            }
            out.add(cur.toByteArray());
        }
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == 0x0b || b == '\f';
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }
}
