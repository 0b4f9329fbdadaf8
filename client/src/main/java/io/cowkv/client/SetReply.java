package io.cowkv.client;

import java.util.List;

/** RESP3 {@code ~n}: a set, kept in the order the server sent it. */
public record SetReply(List<Reply> elements) implements Reply {
    public SetReply {
        elements = List.copyOf(elements);
    }

    public int size() {
        return elements.size();
    }

    public Reply get(int i) {
        return elements.get(i);
    }

    @Override
    public char typeByte() {
        return '~';
    }
}
