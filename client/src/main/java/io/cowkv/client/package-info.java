/**
 * An asynchronous RESP2/RESP3 client on Netty.
 *
 * <pre>{@code
 * try (RedisClient client = RedisClient.create(ClientOptions.builder()
 *         .host("127.0.0.1").port(6379).connections(4).protocol(3).build())) {
 *     client.connect().join();                        // optional: connections open lazily
 *     client.send("SET", "k", "v").join();            // SimpleStringReply[value=OK]
 *     Reply r = client.send("GET", "k").join();       // BulkReply
 *     RedisConnection c = client.connection(0).join();
 *     List<CompletableFuture<Reply>> replies = new ArrayList<>();
 *     for (int i = 0; i < 1000; i++) replies.add(c.send("INCR", "n")); // pipelined
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link io.cowkv.client.RedisClient}: N connections, round-robin {@code send}, lazy
 *       reconnect of broken connections (no retry of failed commands).</li>
 *   <li>{@link io.cowkv.client.RedisConnection}: one connection; commands are pipelined and
 *       batched into one write per event-loop turn; futures complete on the event loop.</li>
 *   <li>{@link io.cowkv.client.Reply}: sealed family of typed, immutable replies (simple string,
 *       error, integer, bulk, null, array, map, set, double, boolean, big number, verbatim,
 *       push).</li>
 *   <li>Failures: {@link io.cowkv.client.RedisServerException} (error reply, with the server's
 *       text), {@link io.cowkv.client.RedisConnectionException} (cannot connect, or the connection
 *       broke), {@link io.cowkv.client.RedisTimeoutException} (no reply within the command
 *       timeout), {@link io.cowkv.client.RedisProtocolException} (malformed bytes; the
 *       connection is closed).</li>
 *   <li>{@link io.cowkv.client.RespParser}: the resumable decoder, usable on its own.</li>
 * </ul>
 *
 * <p>Nothing in this package blocks an event-loop thread. The load tester lives in
 * {@code io.cowkv.client.load}.
 */
package io.cowkv.client;
