package io.cowkv.client;

import java.util.List;

/** RESP3 {@code >n}: out-of-band data (pub/sub messages, client-side caching invalidations). Delivered to the connection's push listener, never as a command's reply (except the confirmations of (un)subscribe commands). */
public record PushReply(List<Reply> elements) implements Reply {
    public PushReply {
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
        return '>';
    }
}
