package io.cowkv.client.load;

import java.util.LinkedHashMap;
import java.util.Map;

/** Parsed {@code INFO} text: {@code field:value} lines; section headers and blanks skipped. */
public final class Info {
    private final Map<String, String> fields;

    private Info(Map<String, String> fields) {
        this.fields = fields;
    }

    public static Info parse(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text != null) {
            for (String line : text.split("\r?\n")) {
                if (line.isEmpty() || line.startsWith("#")) continue;
                int c = line.indexOf(':');
                if (c > 0) m.put(line.substring(0, c), line.substring(c + 1).trim());
            }
        }
        return new Info(m);
    }

    /** Merges several INFO replies (later ones win). */
    public static Info merge(Info... parts) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Info i : parts) m.putAll(i.fields);
        return new Info(m);
    }

    public boolean has(String field) {
        return fields.containsKey(field);
    }

    public String get(String field) {
        return fields.get(field);
    }

    /** The field as a long, or {@code dflt} when absent or not a number. */
    public long getLong(String field, long dflt) {
        String v = fields.get(field);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            try {
                return (long) Double.parseDouble(v);
            } catch (NumberFormatException e2) {
                return dflt;
            }
        }
    }

    public Map<String, String> fields() {
        return fields;
    }
}
