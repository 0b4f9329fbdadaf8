package io.cowkv.client;

import java.util.List;

/** RESP {@code *n}: an ordered list of replies. */
public record ArrayReply(List<Reply> elements) implements Reply {
    public ArrayReply {
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
        return '*';
    }
}
