package io.cowkv.server.net;

import java.util.Arrays;

/**
 * The connections whose replies wait to be written at the end of the event loop's current pass,
 * as Redis writes its clients' replies in {@code beforeSleep} (handleClientsWithPendingWrites)
 * after it has read and run the commands of every ready client. Writing each connection's replies
 * right after its own read (Netty's usual flush in {@code channelReadComplete}) spreads the writes
 * over the pass, and a load generator that sleeps between them must be woken once per write; in
 * a burst at the end it usually finds several replies per wake-up (docs/benchmarks.md, session 12).
 *
 * <p>Contract: one instance per event loop, shared by its connections, used only on that loop. A
 * connection is queued at most once per pass ({@link ClientConnection#queuedForFlush}); the pass's
 * flush runs as one task on the loop, which Netty runs after the I/O events of the pass. Allocates
 * nothing per pass once the array has grown to the number of connections ready at once.
 */
final class PendingFlushes implements Runnable {
    private final java.util.concurrent.Executor loop;
    private ClientConnection[] queued = new ClientConnection[64];
    private int size;
    private boolean scheduled;

    /** @param loop runs the flush task after the current pass: the event loop itself in the server */
    PendingFlushes(java.util.concurrent.Executor loop) {
        this.loop = loop;
    }

    /** Queues {@code c} for this pass's flush, scheduling the flush task if it is the first. */
    void add(ClientConnection c) {
        if (c.queuedForFlush) {
            return;
        }
        c.queuedForFlush = true;
        if (size == queued.length) {
            queued = Arrays.copyOf(queued, size * 2);
        }
        queued[size++] = c;
        if (!scheduled) {
            scheduled = true;
            loop.execute(this);
        }
    }

    /** The flush task: completes the read cycle of every queued connection, in the order they read. */
    @Override
    public void run() {
        scheduled = false;
        // a connection's completion never queues another in this loop (it does not read)
        for (int i = 0; i < size; i++) {
            ClientConnection c = queued[i];
            queued[i] = null;
            c.queuedForFlush = false;
            c.completeReadCycle();
        }
        size = 0;
    }

    /** Connections waiting (tests). */
    int size() {
        return size;
    }
}
