package io.cowkv.rdb.tool;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Minimal JSON text helpers for the dumper: byte strings are UTF-8 JSON strings or {"base64": ...}. */
final class Json {
    private Json() {
    }

    /** A byte string as JSON: a string if valid UTF-8, otherwise {@code {"base64":"..."}}. */
    static void bytes(StringBuilder sb, byte[] b) {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            sb.append("{\"base64\":\"").append(Base64.getEncoder().encodeToString(b)).append("\"}");
            return;
        }
        string(sb, s);
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A double as a JSON number, or the strings "inf", "-inf", "nan" (JSON has no such numbers). */
    static void number(StringBuilder sb, double d) {
        if (Double.isNaN(d)) {
            sb.append("\"nan\"");
        } else if (Double.isInfinite(d)) {
            sb.append(d > 0 ? "\"inf\"" : "\"-inf\"");
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15 && !(d == 0 && 1 / d < 0)) {
            sb.append((long) d);
        } else {
            sb.append(d);
        }
    }
}
