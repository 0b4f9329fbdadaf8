package io.cowkv.client;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/** A command waiting to be written or waiting for its reply. */
final class PendingCommand {
    final byte[][] args;
    final CompletableFuture<Reply> future;
    final long deadlineNanos; // 0 = none
    final boolean subscribeLike;

    PendingCommand(byte[][] args, CompletableFuture<Reply> future, long deadlineNanos) {
        this.args = args;
        this.future = future;
        this.deadlineNanos = deadlineNanos;
        this.subscribeLike = args.length > 0 && isSubscribeLike(args[0]);
    }

    String name() {
        return args.length == 0 ? "" : new String(args[0], StandardCharsets.UTF_8);
    }

    private static boolean isSubscribeLike(byte[] name) {
        if (name.length < 9 || name.length > 12) return false;
        String s = new String(name, StandardCharsets.US_ASCII).toLowerCase();
        return s.endsWith("subscribe");
    }
}
