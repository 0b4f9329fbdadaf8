package io.cowkv.server.net;

import io.cowkv.server.command.CommandRegistry;
import io.cowkv.server.command.Dispatcher;
import io.cowkv.server.command.ServerContext;
import io.cowkv.server.command.Session;
import io.cowkv.server.command.connection.ConnectionCommands;
import io.cowkv.server.command.string.StringCommands;
import io.cowkv.server.config.ServerConfig;
import io.cowkv.server.keyspace.Clock;
import io.cowkv.server.keyspace.Keyspace;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection handler on an embedded channel: pipelined batches get one flushed buffer,
 * partial requests resume, protocol errors reply and close, and every buffer it was given or
 * produced is released (reference counts checked, no leak left to Netty's detector).
 */
class ClientConnectionTest {
    private Keyspace keyspace;
    private ServerContext ctx;
    private EmbeddedChannel ch;
    private final List<ByteBuf> inputs = new ArrayList<>();
    private final List<String> logged = new ArrayList<>();
    private Dispatcher dispatcher;

    @BeforeEach
    void setUp() {
        keyspace = new Keyspace(16, Clock.SYSTEM);
        CommandRegistry registry = new CommandRegistry();
        ctx = new ServerContext(keyspace, new ServerConfig(), registry, "7.0.15");
        new ConnectionCommands(ctx).register(registry);
        new StringCommands(ctx).register(registry);
        new io.cowkv.server.command.connection.ClientCommand(ctx).register(registry);
        dispatcher = new Dispatcher(ctx);
        dispatcher.internalErrors(logged::add);
        ch = newChannel();
    }

    private EmbeddedChannel newChannel() {
        return new EmbeddedChannel(new ClientConnection(ctx, dispatcher, new ClientConnection.ConnectionEvents() {
            @Override
            public void opened(Session s) {
            }

            @Override
            public void closed(Session s) {
            }
        }));
    }

    private long nativeArgsBefore;
    private long largeBulksBefore;

    @BeforeEach
    void noteNativeMemory() {
        nativeArgsBefore = io.cowkv.server.protocol.CommandArgs.outstandingNativeBytes();
        largeBulksBefore = io.cowkv.server.protocol.LargeBulk.outstandingBytes();
    }

    @AfterEach
    void tearDown() {
        ch.finishAndReleaseAll();
        assertThat(io.cowkv.server.protocol.CommandArgs.outstandingNativeBytes()).as("native arguments freed")
                .isEqualTo(nativeArgsBefore);
        assertThat(io.cowkv.server.protocol.LargeBulk.outstandingBytes()).as("large replies freed")
                .isEqualTo(largeBulksBefore);
        for (ByteBuf in : inputs) {
            assertThat(in.refCnt()).as("input buffer released").isZero();
        }
        keyspace.close();
    }

    private void send(String s) {
        ByteBuf in = Unpooled.directBuffer().writeBytes(s.getBytes(StandardCharsets.ISO_8859_1));
        inputs.add(in);
        ch.writeInbound(in);
    }

    /** All output flushed so far, as one string; each outbound buffer is released after reading. */
    private String output() {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    @Test
    void pipelinedBatchIsAnsweredInOneWrite() {
        send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n");
        ByteBuf first = ch.readOutbound();
        assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("+OK\r\n$1\r\nv\r\n+PONG\r\n");
        first.release();
        assertThat((Object) ch.readOutbound()).as("one buffer per read batch").isNull();
    }

    @Test
    void partialRequestsResumeAcrossReads() {
        send("*2\r\n$4\r\nECHO\r\n$10\r\nhello");
        assertThat(output()).isEmpty();
        send("world\r\n*1\r\n$4\r\nPI");
        assertThat(output()).isEqualTo("$10\r\nhelloworld\r\n");
        send("NG\r\n");
        assertThat(output()).isEqualTo("+PONG\r\n");
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void protocolErrorRepliesAfterEarlierCommandsThenCloses() {
        send("PING\r\n*1\r\nx\r\nPING\r\n");
        assertThat(output()).isEqualTo("+PONG\r\n-ERR Protocol error: expected '$', got 'x'\r\n");
        assertThat(ch.isOpen()).isFalse();
        assertThat(ctx.clients.size()).isZero();
    }

    @Test
    void anUnexpectedPipelineErrorClosesTheConnectionAndIsLogged() {
        ch.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(logged).as("I/O errors end a connection quietly, as in Redis").isEmpty();
        ch.finishAndReleaseAll();
        ch = newChannel();
        ch.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));
        assertThat(ch.isOpen()).isFalse();
        assertThat(logged).singleElement().asString().contains("unexpected error").contains("a bug");
    }

    @Test
    void quitClosesAfterItsReply() {
        send("QUIT\r\nPING\r\n");
        assertThat(output()).isEqualTo("+OK\r\n");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void closingMidRequestReleasesTheCumulation() {
        send("*2\r\n$3\r\nGET\r\n$100\r\nabc");
        send("*2\r\n$3\r\nGET"); // still inside the bulk payload
        ch.close();
        assertThat(output()).isEmpty();
    }

    @Test
    void moreCommandsThanOneReadBatchRunInOrder() {
        // INCR 100 times plus GETs in between, all in one read: several full batches in sequence.
        StringBuilder in = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 1; i <= 3 * ReadBatch.CAPACITY + 5; i++) {
            in.append("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n*2\r\n$3\r\nGET\r\n$1\r\nn\r\n");
            expected.append(':').append(i).append("\r\n$").append(String.valueOf(i).length()).append("\r\n")
                    .append(i).append("\r\n");
        }
        send(in.toString());
        assertThat(output()).isEqualTo(expected.toString());
    }

    @Test
    void quitInsideABatchDropsTheRestEvenAProtocolError() {
        send("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n1\r\nQUIT\r\n*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n*1\r\nx\r\n");
        assertThat(output()).isEqualTo("+OK\r\n+OK\r\n");
        assertThat(ch.isOpen()).isFalse();
        assertThat(keyspace.db(0).lookup("k".getBytes(StandardCharsets.US_ASCII)).longValue())
                .as("the INCR after QUIT did not run").isEqualTo(1);
    }

    @Test
    void connectionsSharingOneReadBatchKeepTheirOwnCommands() {
        ReadBatch shared = new ReadBatch();
        Dispatcher dispatcher = new Dispatcher(ctx);
        PendingFlushes flushes = new PendingFlushes(Runnable::run);
        EmbeddedChannel a = new EmbeddedChannel(new ClientConnection(ctx, dispatcher, NO_EVENTS, shared, flushes));
        EmbeddedChannel b = new EmbeddedChannel(new ClientConnection(ctx, dispatcher, NO_EVENTS, shared, flushes));
        try {
            // a's second command is incomplete: its decoder keeps it across b's read
            a.writeInbound(Unpooled.copiedBuffer("SELECT 1\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\n", StandardCharsets.US_ASCII));
            b.writeInbound(Unpooled.copiedBuffer("SET k b\r\nGET k\r\n", StandardCharsets.US_ASCII));
            a.writeInbound(Unpooled.copiedBuffer("a\r\nGET k\r\n", StandardCharsets.US_ASCII));
            assertThat(drain(a)).isEqualTo("+OK\r\n+OK\r\n$1\r\na\r\n");
            assertThat(drain(b)).isEqualTo("+OK\r\n$1\r\nb\r\n");
            assertThat(shared.size).as("the shared batch is empty between reads").isZero();
        } finally {
            a.finishAndReleaseAll();
            b.finishAndReleaseAll();
        }
    }

    @Test
    void repliesOfAllConnectionsThatReadAreWrittenTogetherAfterThePass() {
        ReadBatch batch = new ReadBatch();
        java.util.ArrayDeque<Runnable> loop = new java.util.ArrayDeque<>(); // the event loop's task queue
        PendingFlushes flushes = new PendingFlushes(loop::add);
        Dispatcher dispatcher = new Dispatcher(ctx);
        EmbeddedChannel a = new EmbeddedChannel(new ClientConnection(ctx, dispatcher, NO_EVENTS, batch, flushes));
        EmbeddedChannel b = new EmbeddedChannel(new ClientConnection(ctx, dispatcher, NO_EVENTS, batch, flushes));
        try {
            // one pass of the event loop: a and b each read (twice for a), nothing is written yet
            a.pipeline().fireChannelRead(Unpooled.copiedBuffer("SET k 1\r\n", StandardCharsets.US_ASCII));
            a.pipeline().fireChannelReadComplete();
            b.pipeline().fireChannelRead(Unpooled.copiedBuffer("INCR k\r\n", StandardCharsets.US_ASCII));
            b.pipeline().fireChannelReadComplete();
            a.pipeline().fireChannelRead(Unpooled.copiedBuffer("GET k\r\n", StandardCharsets.US_ASCII));
            a.pipeline().fireChannelReadComplete();
            assertThat(flushes.size()).as("each connection queued once").isEqualTo(2);
            assertThat((Object) a.readOutbound()).isNull();
            assertThat((Object) b.readOutbound()).isNull();
            assertThat(loop).as("one flush task per pass").hasSize(1);
            loop.poll().run();
            assertThat(flushes.size()).isZero();
            assertThat(drain(a)).isEqualTo("+OK\r\n$1\r\n2\r\n");
            assertThat(drain(b)).isEqualTo(":2\r\n");
            // the next pass schedules a new flush
            b.pipeline().fireChannelRead(Unpooled.copiedBuffer("QUIT\r\n", StandardCharsets.US_ASCII));
            b.pipeline().fireChannelReadComplete();
            assertThat(b.isOpen()).as("QUIT closes after its reply is written").isTrue();
            assertThat(loop).hasSize(1);
            loop.poll().run();
            assertThat(drain(b)).isEqualTo("+OK\r\n");
            assertThat(b.isOpen()).isFalse();
        } finally {
            a.finishAndReleaseAll();
            b.finishAndReleaseAll();
        }
    }

    private static final ClientConnection.ConnectionEvents NO_EVENTS = new ClientConnection.ConnectionEvents() {
        @Override
        public void opened(Session s) {
        }

        @Override
        public void closed(Session s) {
        }
    };

    private static String drain(EmbeddedChannel c) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = c.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return sb.toString();
    }

    private static String pattern(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('a' + (i * 7) % 26));
        }
        return sb.toString();
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    /** Sends a multibulk command, each argument as its own write for the long ones (they arrive in pieces). */
    private void command(String... args) {
        StringBuilder head = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            head.append(bulk(a));
        }
        String all = head.toString();
        for (int at = 0; at < all.length(); at += 50_000) {
            send(all.substring(at, Math.min(all.length(), at + 50_000)));
        }
    }

    @Test
    void bigArgumentsAreStoredFromNativeMemoryAndOtherCommandsGetThemOnTheHeap() {
        String big = pattern(io.cowkv.server.protocol.CommandArgs.NATIVE_MIN + 1_000);
        String big2 = pattern(3 * io.cowkv.server.protocol.CommandArgs.NATIVE_MIN);
        command("SET", "k", big);
        command("SETEX", "e", "100", big2);
        command("MSET", "m1", big, "m2", "small", "m3", big2);
        command("APPEND", "k", big2);
        command("SETRANGE", "r", "3", big);
        command("GETSET", "m2", big);
        command("ECHO", big);                           // ECHO takes no native argument: moved to the heap
        assertThat(output()).isEqualTo("+OK\r\n+OK\r\n+OK\r\n:" + (big.length() + big2.length()) + "\r\n:"
                + (3 + big.length()) + "\r\n" + bulk("small") + bulk(big));
        io.cowkv.server.keyspace.Database db = keyspace.db(0);
        assertThat(new String(db.lookup("k".getBytes()).stringBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(big + big2);
        assertThat(new String(db.lookup("e".getBytes()).stringBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(big2);
        assertThat(db.lookup("e".getBytes()).expireAt()).isNotEqualTo(io.cowkv.server.keyspace.Entry.NO_EXPIRE);
        assertThat(new String(db.lookup("m1".getBytes()).stringBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(big);
        assertThat(new String(db.lookup("m2".getBytes()).stringBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(big);
        assertThat(new String(db.lookup("m3".getBytes()).stringBytes(), StandardCharsets.ISO_8859_1)).isEqualTo(big2);
        assertThat(new String(db.lookup("r".getBytes()).stringBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("\0\0\0" + big);
    }

    @Test
    void bigCommandNamesAndSubcommandsAreUnknownWithTheirFirstBytesEchoed() {
        String big = "x".repeat(io.cowkv.server.protocol.CommandArgs.NATIVE_MIN);
        command(big, "a");
        command("CLIENT", big);
        command("GET", big);                            // a big key: looked up from the heap
        assertThat(output()).isEqualTo("-ERR unknown command '" + "x".repeat(128) + "', with args beginning with: 'a' \r\n"
                + "-ERR unknown subcommand '" + "x".repeat(128) + "'. Try CLIENT HELP.\r\n$-1\r\n");
    }

    /** Reads and joins every outbound buffer, counting them. */
    private String output(int[] buffers) {
        StringBuilder sb = new StringBuilder();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sb.append(b.toString(StandardCharsets.ISO_8859_1));
            buffers[0]++;
            b.release();
        }
        return sb.toString();
    }

    /** SETs k to a value that GET answers with a large bulk; returns the value. */
    private String storeLargeValue() {
        String big = pattern(io.cowkv.server.protocol.Reply.LARGE_BULK_MIN);
        command("SET", "k", big);
        assertThat(output()).isEqualTo("+OK\r\n");
        return big;
    }

    @Test
    void largeRepliesGoOutInChunksInReplyOrder() {
        String big = pattern(io.cowkv.server.protocol.Reply.LARGE_BULK_MIN + 5);
        command("SET", "k", big);
        assertThat(output()).isEqualTo("+OK\r\n");
        ch.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1024, 4096));
        send("*2\r\n$3\r\nGET\r\n$1\r\nk\r\nPING\r\n*2\r\n$6\r\nSTRLEN\r\n$1\r\nk\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
        int[] buffers = {0};
        assertThat(output(buffers)).isEqualTo(bulk(big) + "+PONG\r\n:" + big.length() + "\r\n" + bulk(big));
        int chunks = (big.length() + 2 + io.cowkv.server.protocol.LargeBulk.CHUNK - 1) / io.cowkv.server.protocol.LargeBulk.CHUNK;
        // the first header, each large reply's chunks, the small replies between them (and no
        // empty buffer after the last)
        assertThat(buffers[0]).isEqualTo(1 + chunks + 1 + chunks);
    }

    @Test
    void aLargeReplyIsSentWhenTheSocketDrainsAndReadingGoesOnMeanwhile() {
        String big = storeLargeValue();
        ch.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1024, 4096));
        ch.write(Unpooled.wrappedBuffer(new byte[8192]));  // written, not flushed: the socket is "full"
        assertThat(ch.isWritable()).isFalse();
        send("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
        assertThat(ch.<Object>readOutbound()).as("nothing sent yet").isNull();
        // as Redis, the connection goes on reading (a client may pipeline big requests before
        // reading any reply); what it answers waits behind the large reply
        command("SET", "k", "new");
        send("PING\r\n");
        assertThat(ch.<Object>readOutbound()).isNull();
        ch.flush();                                        // the socket drains: writability comes back
        ByteBuf filler = ch.readOutbound();
        assertThat(filler.readableBytes()).isEqualTo(8192);
        filler.release();
        assertThat(output()).isEqualTo(bulk(big) + "+OK\r\n+PONG\r\n");
    }

    @Test
    void closingWithALargeReplyWaitingFreesIt() {
        String big = storeLargeValue();
        ch.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(1024, 4096));
        ch.write(Unpooled.wrappedBuffer(new byte[8192]));
        send("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
        assertThat(io.cowkv.server.protocol.LargeBulk.outstandingBytes() - largeBulksBefore).isEqualTo(2L * (big.length() + 2));
        ch.close();                                        // checked in tearDown: both freed
    }

    @Test
    void quitAfterALargeReplyClosesOnlyOnceItIsSent() {
        String big = storeLargeValue();
        send("*2\r\n$3\r\nGET\r\n$1\r\nk\r\nQUIT\r\n");
        assertThat(output()).isEqualTo(bulk(big) + "+OK\r\n");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void clientReplyOffDropsALargeReply() {
        String big = storeLargeValue();
        send("CLIENT REPLY OFF\r\nGET k\r\nCLIENT REPLY ON\r\nPING\r\n");
        assertThat(output()).isEqualTo("+OK\r\n+PONG\r\n");
    }
}
