package io.cowkv.client;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** RESP3 {@code %n}: key/value pairs in the order the server sent them. */
public record MapReply(Map<Reply, Reply> entries) implements Reply {
    public MapReply {
        entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The value under a string key (bulk or simple string), or {@code null} when absent. */
    public Reply get(String key) {
        Reply v = entries.get(new BulkReply(key.getBytes(StandardCharsets.UTF_8)));
        return v != null ? v : entries.get(new SimpleStringReply(key));
    }

    @Override
    public char typeByte() {
        return '%';
    }
}
