package io.cowkv.server.net;

import io.cowkv.server.protocol.CommandArgs;
import io.cowkv.server.protocol.RespDecoder;

/**
 * The commands decoded from one read of one connection, dispatched in order once the read is
 * decoded, so that {@code Dispatcher.prefetch} can first warm the CPU caches for all their keys (a
 * pipelined client sends many commands per read; their key lookups then overlap their cache misses
 * instead of paying them one after another).
 *
 * <p>Contract: one instance per event loop, shared by all connections of that loop. A connection
 * fills it and empties it within one {@code channelRead} (see {@link ClientConnection}), so it is
 * empty whenever no read is being processed. Slots trade places with the decoders' argument holders
 * ({@link RespDecoder#exchange}): no command is copied and nothing is allocated per command.
 */
final class ReadBatch {
    /** Commands held at most; a full batch is dispatched before decoding goes on. */
    static final int CAPACITY = 32;

    final CommandArgs[] cmds = new CommandArgs[CAPACITY];
    int size;

    ReadBatch() {
        for (int i = 0; i < CAPACITY; i++) {
            cmds[i] = new CommandArgs();
        }
    }

    boolean full() {
        return size == CAPACITY;
    }

    /** Takes the command {@code decoder} has just delivered, giving it an empty holder in exchange. */
    void take(RespDecoder decoder) {
        cmds[size] = decoder.exchange(cmds[size]);
        size++;
    }

    /** Empties the batch (its holders are reset for reuse). */
    void clear() {
        for (int i = 0; i < size; i++) {
            cmds[i].clear();
        }
        size = 0;
    }
}
